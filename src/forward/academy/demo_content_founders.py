"""What the demo's two courses for founders teach (Business Leadership for Digital Founders and
Venture Capital Networking), in the shape of ``demo_content``: summaries, one-minute lectures,
readings, exercises, a quiz and a final exam each."""

from __future__ import annotations

from .demo_content import CourseText, ModuleText, md, multiple, numeric, single

# --- Business Leadership for Digital Founders ------------------------------------------------------

LEADERSHIP = CourseText(
    summary="For founders of digital start-ups: building a founding team and splitting equity fairly, "
            "finding product-market fit through customer interviews and retention, and leading a growing "
            "company with clear goals, good hiring and regular one-on-ones.",
    modules=(
        ModuleText(
            lecture=(
                ("Complementary founders", ("Builder, seller, operator", "Shared values, different skills",
                                            "Decide who decides"),
                 "Strong founding teams combine different skills, such as building the product and selling "
                 "it, with shared values, and agree early on who decides what."),
                ("Equity and vesting", ("Split by future contribution", "Four-year vesting, one-year cliff",
                                        "Write it down now"),
                 "Split equity by what each founder will contribute, not by who had the idea, and let it vest "
                 "over four years with a one-year cliff, written in a founders' agreement."),
                ("Hard conversations early", ("Roles and titles", "Money and time commitment",
                                              "What if someone leaves?"),
                 "Talk about roles, salaries, time commitment and what happens if someone leaves while you "
                 "still like each other. Later it is much harder."),
            ),
            reading=md("""
                ## Founding teams

                Investors often say they back teams before ideas, because the first idea rarely survives
                contact with customers while the team does. A strong founding team covers the early work
                between them: building the product, selling it and talking to customers, and running the
                company's money and operations. Founders who share values but differ in skills argue
                productively; founders with identical profiles tend to leave the same gaps.

                ### Splitting equity

                Equity should reflect what each founder will contribute over the coming years, not who
                had the idea first. Equal splits are common and avoid resentment when contributions
                really are comparable; large differences should have reasons everyone can state. Whatever
                the split, founders' shares usually **vest**: a common arrangement is four years with a
                one-year **cliff**, meaning nothing vests in the first twelve months, a quarter vests at
                the first anniversary and the rest monthly after that. If a co-founder leaves after six
                months, the company is not left with a large owner who no longer works in it.

                ### Decisions and conflict

                Agree who decides what. One founder usually has the final say on product, another on
                sales, and the chief executive breaks ties on the rest; writing this down prevents
                slow decisions by committee. Hold a regular founders' meeting that is about how you work
                together, not just about the business, and raise small frustrations before they grow.

                ### The founders' agreement

                Put the important points in a written agreement, ideally with a lawyer: ownership and
                vesting, roles, time commitment, salaries, intellectual property assigned to the company,
                and what happens when someone leaves. These conversations are easiest at the start,
                while everyone is optimistic. Many start-ups fail not for lack of a market but because
                the founders fall out; a clear agreement will not prevent disputes, but it makes them
                survivable.
            """),
            lab=md("""
                ## Exercise: draft a founders' agreement

                Three friends start a company that sells scheduling software to clinics. One writes the
                software full-time, one keeps her job and sells in the evenings for the first six months,
                one invested USD 20,000 of savings and advises on finance.

                1. Propose an equity split and vesting schedule for the three, with one sentence of
                   reasoning for each.
                2. Write who has the final decision on product, on sales and on spending above USD 2,000.
                3. Write what happens to each person's shares if they leave after 8 months and after 3 years.

                Check yourself: would each of the three sign it, and would an investor find anything
                that worries them?
            """),
            lab_minutes=45,
        ),
        ModuleText(
            lecture=(
                ("Talk to customers", ("Ask about past behaviour", "Not about your idea",
                                       "Listen for pain and workarounds"),
                 "In customer interviews, ask what people did the last time they had the problem, not "
                 "whether they would use your idea. Compliments are not evidence."),
                ("The smallest test", ("A minimum viable product", "Test the riskiest assumption",
                                       "Measure real behaviour"),
                 "Build the smallest product that tests your riskiest assumption, and measure what people "
                 "do with it, not what they say."),
                ("Signs of fit", ("Retention curves flatten", "Users would be very disappointed to lose it",
                                  "Growth through word of mouth"),
                 "Product-market fit shows in retention curves that level off, in users who would be very "
                 "disappointed without the product, and in growth that comes by word of mouth."),
            ),
            reading=md("""
                ## Finding product-market fit

                **Product-market fit** means a product satisfies a real market so well that customers
                keep using it and bring others. Before it, growth is expensive and fragile; after it, the
                company's problem changes from "does anyone want this?" to "how fast can we deliver?".

                ### Interviews that tell the truth

                People are polite: asked whether they would use your product, most say yes. Good
                interviews therefore ask about the past, not the future. "When did this last happen? What
                did you do? What did it cost you? What have you tried?" A problem worth solving shows up
                as time or money already spent on workarounds, such as spreadsheets, staff or a competitor's
                product. Talk to at least ten to twenty people in one segment before drawing conclusions,
                and write down their words, not your interpretation.

                ### The minimum viable product

                A **minimum viable product** is the smallest thing that tests your riskiest assumption
                with real behaviour. It may be a landing page that takes pre-orders, a service delivered
                by hand behind a simple website, or a narrow first version for one type of customer. The
                question is always what you will learn and how you will measure it, decided before you
                build.

                ### Measuring fit

                The most honest signal is **retention**. Group users by the month they started (a
                *cohort*) and plot the share still active in each following month. If every curve keeps
                falling towards zero, the product is not yet needed; if the curves flatten at a stable
                level, a group of users has made it part of their routine. A common survey asks users how
                they would feel if they could no longer use the product; when around 40% or more answer
                "very disappointed", teams usually have fit in that segment. Growth through referrals and
                customers who pay without long negotiations point the same way.
            """),
            lab=md("""
                ## Exercise: plan ten customer interviews

                Pick a problem you believe small businesses in your city have (for example, managing
                staff rosters or collecting payments).

                1. Describe the customer segment precisely: who, where, how large.
                2. Write eight interview questions about past behaviour. None may mention your solution.
                3. Write the one assumption that, if false, would kill the idea, and design a minimum
                   viable product that tests it within two weeks.
                4. Say which number you would measure, and what value would make you continue.

                Check yourself: could a polite interviewee answer any of your questions with a compliment
                instead of a fact?
            """),
            lab_minutes=45,
        ),
        ModuleText(
            lecture=(
                ("From doing to leading", ("Hire people better than you", "Delegate outcomes, not tasks",
                                           "Your job becomes the system"),
                 "As a company grows, the founder's job changes from doing the work to building the team "
                 "and the system that does it."),
                ("Goals everyone knows", ("Objectives: where we are going", "Key results: how we will know",
                                          "Few, reviewed every quarter"),
                 "Objectives and key results give everyone a few shared goals, each with measurable results, "
                 "reviewed every quarter."),
                ("One-on-ones", ("Regular and protected", "The report's agenda first",
                                 "Feedback in both directions"),
                 "Hold regular one-on-ones with each direct report, on their agenda first, with honest "
                 "feedback going both ways."),
            ),
            reading=md("""
                ## Leading through growth

                At five people, everyone knows everything. At fifty, information no longer flows by
                itself, and a founder who still reviews every decision becomes the company's bottleneck.
                Leading through growth means deliberately changing your own job: from doing the work to
                hiring the people who do it, setting direction and building the habits that let the
                company work without you in every room.

                ### Hiring

                Early hires shape the culture more than any values statement. Define what the role must
                achieve in its first year before writing the advertisement, use the same structured
                questions and a work sample for every candidate, and decide against written criteria;
                unstructured "chemistry" interviews mostly select people like the interviewer. A slow
                hire costs weeks; a wrong hire costs months and the trust of the team.

                ### Goals

                **Objectives and key results (OKRs)** are one common way to align a growing team. An
                objective states where you want to go ("Clinics in Penang love booking with us"); two to
                four key results say how you will know ("70% of bookings made online", "monthly churn
                below 2%"). Keep a few per team, set them quarterly, make them visible to everyone, and
                review progress openly; they are for focus, not for performance pay.

                ### One-on-ones and feedback

                A regular **one-on-one** with each direct report, weekly or every two weeks, is the
                simplest tool a manager has. It belongs to the report: start with their topics, then
                yours. Give feedback that is specific, about behaviour and timely ("in today's demo you
                interrupted the client twice"), and ask for feedback on yourself. Problems surface there
                weeks before they would otherwise reach you.

                Finally, write things down: decisions and their reasons, how the team works, what good
                looks like. Written context is what lets a team of fifty move as quickly as the first five.
            """),
            lab=md("""
                ## Exercise: OKRs for the next quarter

                Your start-up has 18 people in product, sales and support. Growth has slowed and the
                teams disagree about priorities.

                1. Write one company objective for the next quarter and three key results for it.
                2. Write one objective with two key results for each of the three teams, each supporting
                   the company objective.
                3. Plan your first month of one-on-ones with your four direct reports: how often, how
                   long, and the three questions you will ask in the first one.

                Check yourself: can every key result be measured with a number at the end of the quarter?
            """),
            lab_minutes=40,
        ),
    ),
    quiz=(
        single("What does a four-year vesting schedule with a one-year cliff mean for a co-founder who "
               "leaves after ten months?",
               ("None of their shares have vested", "A quarter of their shares have vested",
                "All of their shares have vested", "Ten forty-eighths of their shares have vested"),
               0, "Nothing vests before the cliff; at 12 months a quarter vests at once."),
        single("What should decide how founders split equity?",
               ("What each will contribute to the company over the coming years",
                "Who had the idea first", "Alphabetical order", "Who is oldest"),
               0, "Equity rewards future contribution; ideas are cheap compared with execution."),
        multiple("Which belong in a founders' agreement?",
                 ("Vesting of each founder's shares", "Intellectual property assigned to the company",
                  "What happens when a founder leaves", "The colour of the logo"),
                 (0, 1, 2), "The agreement settles ownership, roles and departures while everyone agrees."),
        single("Why do founding teams benefit from complementary skills?",
               ("They cover building, selling and running the company between them",
                "Investors require exactly three founders",
                "It avoids ever having to hire",
                "Identical skills cause legal problems"),
               0, "Different skills leave fewer gaps in the early work."),
        single("Two founders cannot agree on a product decision. What prevents a stalemate?",
               ("Agreeing in advance who has the final say on product",
                "Voting with the investors", "Waiting until one founder leaves",
                "Letting the newest employee decide"),
               0, "Clear decision rights, agreed early, keep decisions fast."),
    ),
    exam=(
        single("Which interview question gives the most reliable evidence of a real problem?",
               ("When did you last have to reschedule a patient, and what did you do?",
                "Would you use an app that reschedules patients?",
                "Do you like our idea?",
                "How much would you pay for our product?"),
               0, "Questions about past behaviour reveal real pain; hypothetical questions invite politeness."),
        single("Cohort retention curves all fall steadily towards zero. What does this suggest?",
               ("The product has not yet found product-market fit",
                "The product has strong product-market fit",
                "The marketing budget is too high",
                "The cohorts are too large"),
               0, "With fit, retention curves flatten at a stable level."),
        single("What is the purpose of a minimum viable product?",
               ("To test the riskiest assumption with real behaviour, quickly",
                "To launch every planned feature at once",
                "To impress investors with polish",
                "To avoid talking to customers"),
               0, "An MVP is a learning tool, as small as the question allows."),
        numeric("In a survey, 45 of 120 users say they would be 'very disappointed' without the product. "
                "What percentage is that?", 37.5, 0.1,
                "45 / 120 = 0.375, just under the 40% that teams often take as a sign of fit."),
        multiple("Which are good objectives-and-key-results practice?",
                 ("A few objectives, each with measurable key results",
                  "Goals visible to the whole company",
                  "Twenty objectives per team",
                  "Key results nobody can measure"),
                 (0, 1), "OKRs work when they are few, measurable and shared."),
        single("What is a one-on-one meeting mainly for?",
               ("The report's topics, feedback both ways and problems surfaced early",
                "Reading status reports aloud",
                "Announcing company news to everyone",
                "Setting salaries once a year"),
               0, "A one-on-one belongs to the report and surfaces issues early."),
        single("Which hiring practice most reduces bias?",
               ("The same structured questions and a work sample for every candidate",
                "Hiring whoever feels most like the team",
                "Deciding in the first five minutes",
                "Asking each interviewer to improvise"),
               0, "Structured interviews judged against written criteria predict performance better."),
        single("A growing company's decisions all wait for the founder. What should the founder do?",
               ("Delegate outcomes with clear goals and decision rights",
                "Work longer hours to review everything",
                "Stop making decisions at all",
                "Hire only interns"),
               0, "Leading through growth means building a system that decides without you."),
    ),
)


# --- Venture Capital Networking -------------------------------------------------------------------

VENTURE = CourseText(
    summary="How venture capital works and how to raise it: fund economics and the power law, investors' "
            "theses and stages, a pitch deck that tells a clear story with honest numbers, warm "
            "introductions, and the terms of a first round, from pre-money valuation to dilution.",
    modules=(
        ModuleText(
            lecture=(
                ("Where the money comes from", ("Limited partners fund the fund", "Partners invest it over years",
                                                "Fees and a share of profits"),
                 "A venture fund raises money from limited partners such as pension funds, invests it over "
                 "a few years, and earns a management fee and a share of the profits."),
                ("The power law", ("Most start-ups return little", "A few return the whole fund",
                                   "So investors look for huge outcomes"),
                 "Returns follow a power law: a handful of investments return more than all the others "
                 "together, so investors look for companies that could become very large."),
                ("Stages and theses", ("Pre-seed, seed, Series A and on", "Each fund has a thesis",
                                       "Pitch the investors who fit"),
                 "Funds invest at particular stages and follow a thesis about sectors and regions. Pitch "
                 "only the investors whose thesis and stage fit your company."),
            ),
            reading=md("""
                ## How investors think

                A venture capital fund is a pool of money raised from **limited partners** (LPs): pension
                funds, endowments, family offices and corporations. The fund's **general partners** (GPs)
                invest it in start-ups, typically over the first three to five years of a fund that lives
                about ten. They are paid a yearly management fee, traditionally around 2% of the fund,
                and a share of the profits called **carried interest**, traditionally around 20%. The LPs
                expect a return well above what public markets would have given them for the same risk
                and for money locked up for a decade.

                ### The power law

                Start-up outcomes are extremely uneven. In a typical portfolio most companies return less
                than was invested or fail, a few return a few times their money, and one or two return
                more than the rest combined. Because of this **power law**, an investor's question is not
                "will this company succeed?" but "if it succeeds, can it become big enough to return the
                fund?" A profitable business that will always stay small can be excellent, and still be
                wrong for venture capital.

                ### Stages and theses

                Money arrives in **rounds**. *Pre-seed* and *seed* rounds fund the search for
                product-market fit and come from angels, accelerators and seed funds; a *Series A* funds
                a repeatable way of growing, and later rounds fund expansion. Each fund invests at certain
                stages and cheque sizes and follows a **thesis**, for example "business software for
                South-East Asian small businesses" or "climate technology at seed". Angel investors invest
                their own money, often earlier and faster; corporate venture arms also look for strategic
                value to their parent company.

                Research before you reach out: a fund's website, its portfolio and its partners' public
                writing show what it invests in. Twenty well-matched investors are worth more than two
                hundred random e-mails, and an investor who says no because you are outside their thesis
                has told you nothing about your company.
            """),
            lab=md("""
                ## Exercise: build a target list of investors

                Take a start-up you know (your own, or one from the ventures directory of this demo).

                1. Write the round you would raise next: stage, amount and what it would let you reach.
                2. List ten investors whose thesis, stage and cheque size fit. For each, note one portfolio
                   company and why it makes the investor a good fit (and not a competitor's backer).
                3. Rank them and say who could introduce you to the top three.

                Check yourself: for each investor, could you explain in one sentence why your company
                fits their thesis?
            """),
            lab_minutes=45,
        ),
        ModuleText(
            lecture=(
                ("One clear story", ("Problem, solution, why now", "Market, product, traction",
                                     "Team and the ask"),
                 "A pitch tells one story: the problem, your solution and why now, the market and your "
                 "traction, the team, and exactly what you are asking for."),
                ("Numbers investors check", ("Revenue and growth rate", "Retention and churn",
                                             "Cost to acquire a customer"),
                 "Show the numbers that matter honestly: revenue and its growth, retention, and what a "
                 "customer costs to win compared with what they are worth."),
                ("The ask", ("How much you are raising", "What it buys: the milestones", "How long it lasts"),
                 "End with the ask: the amount, the milestones it will reach, and how many months of runway "
                 "it gives you."),
            ),
            reading=md("""
                ## Your pitch

                A pitch deck is not a business plan in slides; it is a story that makes a busy investor
                want a second meeting. Start with a one-sentence description anyone can repeat ("We help
                clinics in Malaysia fill empty appointment slots"), then follow a familiar order so the
                investor can concentrate on content rather than structure.

                1. **Problem**: who has it, how painful it is, what they do today.
                2. **Solution** and a short demo or screenshots.
                3. **Why now**: what changed (technology, regulation, behaviour) that makes this possible.
                4. **Market**: the customers you can reach and what they would pay, built bottom-up.
                5. **Traction**: the evidence so far.
                6. **Business model**, **competition** and what makes you hard to copy.
                7. **Team**: why you are the people to build this.
                8. **The ask**: the amount, what it buys, and how long it lasts.

                ### Numbers that matter

                Investors look at **revenue** and its **growth rate** (monthly growth of 15–20% at seed
                stage gets attention), **retention** or **churn** (the share of customers who leave each
                month), the **customer acquisition cost** (CAC) and the **lifetime value** (LTV) of a
                customer, and the **burn rate**: how much cash you spend each month. A healthy
                business earns back its acquisition cost within a year or so and has an LTV several times
                its CAC. Present numbers honestly, with their definitions; an investor who discovers that
                "users" meant "sign-ups" stops trusting the rest of the deck.

                ### The ask

                Say how much you are raising and what milestones it will reach, such as a product
                release, a revenue level or a market entry, so that the next round is easier to raise.
                Divide the amount by your planned monthly burn to show the **runway**: raising USD 1.2
                million with a burn of USD 60,000 a month buys 20 months, about the 18 to 24 months most
                investors expect a round to last.

                Rehearse until you can give the whole story in three minutes, and prepare for the
                questions every investor asks: why will customers switch, what happens if a large company
                copies you, and what did you learn from the customers who left.
            """),
            lab=md("""
                ## Exercise: a ten-slide deck and a three-minute pitch

                For the start-up from the previous exercise:

                1. Write the one-sentence description.
                2. Outline a ten-slide deck with one headline per slide that states its message.
                3. Compute the runway of your ask at your planned monthly burn, and the ratio of lifetime
                   value to acquisition cost from your (real or assumed) numbers; show the formulas.
                4. Record yourself giving the pitch in three minutes and list the three questions you
                   would least like to be asked. Prepare answers.

                Check yourself: would someone who heard your pitch once be able to repeat your one-sentence
                description to a colleague?
            """),
            lab_minutes=60,
        ),
        ModuleText(
            lecture=(
                ("Warm introductions", ("Through founders they backed", "A short forwardable e-mail",
                                        "Run the process in a few weeks"),
                 "The best way in is a warm introduction, often from a founder the investor backed, with a "
                 "short e-mail they can forward. Run meetings close together to keep momentum."),
                ("Valuation and dilution", ("Post-money = pre-money + investment",
                                            "Investor's share = investment / post-money",
                                            "Every round dilutes"),
                 "The post-money valuation is the pre-money valuation plus the new money, and the investor's "
                 "share is the investment divided by the post-money valuation."),
                ("Terms beyond the price", ("Liquidation preference", "Option pool", "Board seats and pro-rata"),
                 "Read the terms beyond the price: the liquidation preference, the option pool, board seats "
                 "and the right to invest in later rounds."),
            ),
            reading=md("""
                ## Meeting investors

                Investors see thousands of companies a year and meet a small share of them. Most of those
                meetings begin with a **warm introduction** from someone the investor trusts, best of all
                a founder they backed. Make the introducer's job easy: send a short e-mail they can
                forward, with your one-sentence description, two or three lines of traction and the
                round you are raising. Treat fundraising like a sales pipeline: track every investor,
                the stage of the conversation and the next step, and schedule first meetings within a
                few weeks of each other so that interest builds at the same time.

                At networking events, aim for a few real conversations rather than many business cards.
                Ask investors what they are looking for now, listen for fit with their thesis, and follow
                up within a day with what you promised. After a no, ask what would change their mind;
                keep them updated, because today's no is often a future round's yes.

                ### Valuation and dilution

                A term sheet states the **pre-money valuation**, what the company is worth before the new
                money. The **post-money valuation** adds the investment: raising USD 2 million at USD 8
                million pre-money gives USD 10 million post-money, and the investors own 2 / 10 = 20%. Each
                existing shareholder's percentage falls by the same proportion: founders who owned 80%
                own 64% afterwards. Investors often ask for an **option pool** for future employees to be
                created *before* the round, which dilutes only the existing shareholders.

                ```text
                post-money      = pre-money + investment       = 8.0 M + 2.0 M = 10.0 M
                investor share  = investment / post-money      = 2.0 M / 10.0 M = 20%
                founders after  = founders before × (1 − 20%)  = 80% × 0.8     = 64%
                ```

                ### Terms beyond the price

                A **liquidation preference** decides who is paid first when the company is sold: the
                common "1× non-participating" preference returns the investors' money first, or their
                share of the proceeds if that is larger. **Pro-rata rights** let investors keep their
                percentage by investing in later rounds; **board seats** and protective provisions give
                them a say in major decisions. Then comes **due diligence**, where the investor checks
                your company's legal, financial and technical facts, so keep clean records from the start.
                Take advice from a lawyer who has closed venture rounds before you sign.
            """),
            lab=md("""
                ## Exercise: model your next round

                Your start-up's founders own 90% and an angel owns 10%. A seed fund offers USD 1.5 million
                at a USD 6 million pre-money valuation and asks for a 10% option pool created before the
                round.

                1. Compute the post-money valuation and the fund's share.
                2. Compute everyone's share after the round, with and without the option pool created
                   before it.
                3. Write the forwardable introduction e-mail you would send to a founder in the fund's
                   portfolio, in at most 120 words.

                Check yourself: after the round, all shares must add up to 100%.
            """),
            lab_minutes=45,
        ),
    ),
    quiz=(
        single("Why do venture investors look for companies that could become very large?",
               ("A few outsized successes return most of a fund's money",
                "Large companies are easier to start",
                "Regulators require it",
                "Small companies cannot raise any money"),
               0, "Returns follow a power law, so each investment must be able to return the fund."),
        single("Who provides the money that a venture fund invests?",
               ("Limited partners such as pension funds and endowments", "The start-ups it invests in",
                "The stock exchange", "Customers of the portfolio companies"),
               0, "LPs commit capital; the general partners invest it."),
        single("A fund's thesis is 'seed-stage climate technology'. Which company fits it?",
               ("A start-up with early customers for battery-recycling software",
                "A listed oil company", "A Series C food-delivery app", "A local bakery"),
               0, "Thesis means sector and stage; only the first matches both."),
        multiple("How are general partners of a venture fund traditionally paid?",
                 ("A yearly management fee of around 2% of the fund",
                  "A share of the profits (carried interest) of around 20%",
                  "A salary paid by each start-up", "A fee per pitch meeting"),
                 (0, 1), "The '2 and 20' model: a management fee plus carried interest."),
        single("What is a sensible first step before contacting investors?",
               ("Research each fund's thesis, stage and portfolio",
                "E-mail every investor you can find the same message",
                "Ask for a meeting without saying what you do",
                "Publish your valuation expectations online"),
               0, "Well-matched investors are worth far more than many random ones."),
    ),
    exam=(
        numeric("A start-up raises USD 2 million at a pre-money valuation of USD 8 million. What percentage "
                "of the company do the new investors own?", 20, 0.1,
                "Post-money = 8 + 2 = 10 million; 2 / 10 = 20%."),
        numeric("Founders own 80% before a round in which investors buy 20%. What percentage do the founders "
                "own afterwards?", 64, 0.1, "Everyone is diluted by the same factor: 80% × 0.8 = 64%."),
        numeric("A company raises USD 1.2 million and spends USD 60,000 a month. How many months of runway "
                "does the round give?", 20, 0, "1,200,000 / 60,000 = 20 months."),
        single("What is the best way to reach an investor you have never met?",
               ("A warm introduction from a founder they backed",
                "Repeated unsolicited calls", "A long business plan sent without context",
                "Waiting for them to find you"),
               0, "Investors trust introductions from people they know, above all their founders."),
        multiple("Which numbers do investors usually examine in a seed-stage pitch?",
                 ("Revenue growth rate", "Customer churn", "Customer acquisition cost and lifetime value",
                  "The number of slides in the deck"),
                 (0, 1, 2), "Growth, retention and unit economics show whether the business works."),
        single("What does a 1× non-participating liquidation preference give investors when the company is sold?",
               ("Their money back first, or their share of the proceeds if that is more",
                "Ten times their money", "Nothing until the founders are paid",
                "A seat on the board"),
               0, "They choose the larger of their investment back or converting to their ordinary share."),
        single("Why should first meetings with investors be scheduled close together?",
               ("So that interest builds at the same time and decisions come together",
                "Because investors only meet on Mondays", "To avoid preparing twice",
                "Because term sheets expire in a week"),
               0, "Fundraising is a process; momentum helps every conversation."),
        single("What happens when an option pool is created before a round, at the investors' request?",
               ("It dilutes only the existing shareholders", "It dilutes only the new investors",
                "It dilutes nobody", "It raises the post-money valuation"),
               0, "A pre-money pool comes out of the existing shareholders' stake."),
    ),
)
