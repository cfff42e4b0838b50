"""What the demo's courses teach: per course a summary, and per module a one-minute lecture (slides
and what is said), a reading and the task of its lab; per course a quiz on its first module and a
final exam on all of it, with plausible wrong answers and an explanation of the right one.

Written for the demo (not copied from anywhere), and correct: a learner trying the demo reads real
subject matter. ``demo.load`` builds the courses from it; ``demo_certifications`` has the
certification exams' pools.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from .models import Assessment, Question, QuestionKind
from .video import SlideText

LECTURE_SECONDS = 60  # every demo lecture lasts one minute, and its lesson says "1 min"
WORDS_PER_MINUTE = 180  # reading speed for technical text, for a reading's "n min"


@dataclass(frozen=True)
class Item:
    """A question: single or multiple choice (``correct`` holds option indexes) or a number."""

    kind: str
    prompt: str
    options: tuple[str, ...]
    correct: tuple
    explanation: str = ""
    tolerance: float = 0
    area: str = ""


def single(prompt: str, options: tuple[str, ...], right: int, why: str = "", *, area: str = "") -> Item:
    return Item(QuestionKind.SINGLE, prompt, options, (right,), why, area=area)


def multiple(prompt: str, options: tuple[str, ...], right: tuple[int, ...], why: str = "", *,
             area: str = "") -> Item:
    return Item(QuestionKind.MULTIPLE, prompt, options, right, why, area=area)


def numeric(prompt: str, value: float, tolerance: float, why: str = "", *, area: str = "") -> Item:
    return Item(QuestionKind.NUMERIC, prompt, (), (value,), why, tolerance=tolerance, area=area)


@dataclass(frozen=True)
class ModuleText:
    lecture: tuple[SlideText, ...]
    reading: str  # Markdown
    lab: str  # Markdown: the lab's task
    lab_minutes: int = 30


@dataclass(frozen=True)
class CourseText:
    summary: str
    modules: tuple[ModuleText, ...]
    quiz: tuple[Item, ...]  # on the first module
    exam: tuple[Item, ...]  # on the whole course


def md(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def reading_minutes(text: str) -> int:
    """How long a reading takes, honestly: its words at a technical reading pace, at least 3 minutes."""
    return max(3, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def transcript(slides: tuple[SlideText, ...]) -> str:
    """What the lecturer says, one paragraph per slide."""
    return "\n\n".join(said for _heading, _points, said in slides)


def questions(assessment: Assessment, items: tuple[Item, ...]) -> list[Question]:
    """The questions of ``assessment`` from the demo's text, in order."""
    return [Question(assessment=assessment, order=order, kind=item.kind, prompt=item.prompt,
                     options=list(item.options), correct=list(item.correct), explanation=item.explanation,
                     tolerance=item.tolerance, area=item.area) for order, item in enumerate(items)]


# --- Cloud Computing Fundamentals ----------------------------------------------------------------

CLOUD = CourseText(
    summary="Regions and availability zones, IaaS, PaaS and SaaS, virtual machines, containers and "
            "serverless functions, object and block storage, private networks, identity and access "
            "management, autoscaling and the cloud bill: how to run a small, reliable and affordable "
            "service on any public cloud.",
    modules=(
        ModuleText(
            lecture=(
                ("Computing as a utility", ("Rent servers, storage and networks", "Start and stop them in minutes",
                                            "Pay for what you use"),
                 "Cloud computing means renting computing, storage and networking from a provider on demand, "
                 "and paying for what you use, much as you pay for electricity."),
                ("Regions and availability zones", ("Region: a geographic area", "Zone: separate data centres",
                                                    "Spread a service over two or more zones"),
                 "A provider's region contains several availability zones with their own power and networking. "
                 "Run on at least two zones and a failure in one does not stop your service."),
                ("IaaS, PaaS and SaaS", ("IaaS: you manage the operating system up",
                                         "PaaS: you bring code, the platform runs it",
                                         "SaaS: you use finished software"),
                 "The service models differ in how much the provider manages for you: the infrastructure, "
                 "the platform, or the whole application."),
                ("Shared responsibility", ("Provider: buildings, hardware, hypervisor",
                                           "You: data, accounts, configuration"),
                 "Security is shared. The provider protects the data centres and the hardware; you protect "
                 "your data, your accounts and how you configure the services."),
            ),
            reading=md("""
                ## What the cloud is

                The US standards body NIST defines cloud computing by five characteristics: *on-demand
                self-service* (you create a server yourself, through a console or an API, without asking
                anyone), *broad network access*, *resource pooling* (many customers share the provider's
                hardware, isolated from each other), *rapid elasticity* (capacity grows and shrinks in
                minutes) and *measured service* (you are billed for what you use, often by the second).
                Together they turn infrastructure from a purchase into a utility.

                ### Regions and availability zones

                A provider's infrastructure is organised into **regions**, such as Singapore, Jakarta or
                Hangzhou. Each region holds several **availability zones**: one or more data centres with
                independent power, cooling and networking, a few kilometres apart and linked by fast,
                low-latency connections. Zones fail independently, so a service that runs in two or three
                zones keeps working when one of them has a power cut or a network fault.

                Choosing a region is a trade-off. A region close to your users gives lower latency; data
                protection laws may require personal data to stay in a country; prices and the services
                on offer differ from region to region. Disaster recovery across regions protects against
                the rare failure of a whole region, at the cost of copying data over long distances.

                ### Service models

                With **infrastructure as a service (IaaS)** you rent virtual machines, disks and networks
                and manage everything from the operating system up: patches, runtimes, your application.
                With **platform as a service (PaaS)** you hand over your code or a container and the
                platform runs, scales and patches it for you. With **software as a service (SaaS)** you
                use a finished application, such as e-mail or a CRM, and configure only your own data
                and users. The further up you go, the less you control and the less you must operate.

                | model | you manage | the provider manages |
                | --- | --- | --- |
                | IaaS | OS, runtime, application, data | hardware, virtualisation, network |
                | PaaS | application, data | everything below the application |
                | SaaS | your data and users | the whole application |

                ### Shared responsibility

                Whatever the model, security is shared. The provider secures the physical buildings, the
                hardware and the virtualisation layer. You remain responsible for who can sign in, how
                your data is encrypted and backed up, and how your services are configured. Most cloud
                breaches come from the customer's side of this line: a storage bucket left public, a
                leaked access key, a database open to the internet.
            """),
            lab=md("""
                ## Lab: plan a deployment across zones

                A start-up in Kuala Lumpur runs a booking website for clinics in Malaysia and Indonesia.
                Today it is one virtual machine with the web server and the database on it. Your task is
                to plan how it should run in the cloud so that it survives the loss of one data centre.

                1. Choose a region for the service and write down two reasons (where the users are,
                   where patient data may be stored).
                2. Draw the deployment: how many web servers, in which availability zones, where the
                   database runs and how it is replicated.
                3. For each part, say whether you would use IaaS, PaaS or SaaS, and why.
                4. List three things that remain your responsibility under the shared responsibility model.

                Check yourself: if you switch off any one zone in your drawing, can patients still book?
            """),
            lab_minutes=30,
        ),
        ModuleText(
            lecture=(
                ("Compute", ("Virtual machines: full control", "Containers: package once, run anywhere",
                             "Serverless functions: run on events"),
                 "Compute comes in three main shapes: virtual machines you manage, containers that package "
                 "your application, and serverless functions that run only when an event arrives."),
                ("Storage", ("Block: a disk for one machine", "Object: files by key, over HTTP",
                             "File: a shared network drive"),
                 "Block storage behaves like a disk attached to one server. Object storage keeps whole "
                 "files under keys in buckets, reached over HTTP. File storage is a shared network drive."),
                ("Networks", ("A virtual private cloud with subnets", "Security groups allow traffic in",
                              "A load balancer spreads requests"),
                 "Your resources live in a virtual private cloud, split into public and private subnets. "
                 "Security groups decide which traffic may reach each server, and a load balancer spreads "
                 "requests over healthy servers."),
            ),
            reading=md("""
                ## Compute, storage and networks

                **Virtual machines** (instances) are the basic unit of IaaS: you pick a size (virtual CPUs
                and memory), an operating system image and a disk, and you get a server in a minute or two.
                You patch and secure it yourself. **Containers** package an application with its libraries
                into an image that runs the same on a laptop and in production; a managed Kubernetes or
                container service schedules them on machines for you. **Serverless functions** go one
                step further: you upload a function, it runs when an event arrives (an HTTP request, a new
                file, a message) and you pay per invocation and per millisecond of running time.

                ### Three kinds of storage

                **Block storage** provides volumes that attach to one virtual machine and behave like a
                local disk: good for databases and operating systems. **Object storage** keeps objects
                (a file plus metadata) under a key in a bucket, read and written whole over HTTP. It
                scales to billions of objects, is designed for very high durability by keeping copies on
                several devices and zones, and is the cheapest place for images, backups, logs and data
                sets. It is not a file system: you replace an object rather than edit it in place.
                **File storage** is a managed network file system that several servers mount at once.

                ```text
                bucket:  forward-course-media
                key:     videos/cloud-101/lecture-1.mp4
                url:     https://forward-course-media.<storage-endpoint>/videos/cloud-101/lecture-1.mp4
                ```

                ### Private networks

                A **virtual private cloud (VPC)** is your own isolated network inside the provider's. You
                give it an address range such as `10.0.0.0/16` and divide it into **subnets**, each in one
                availability zone. Public subnets hold what the internet must reach, such as load
                balancers; private subnets hold application servers and databases, which reach the
                internet only outwards, through a NAT gateway. A `/24` subnet has 256 addresses, a few of
                which the provider reserves.

                **Security groups** are stateful firewalls attached to instances: you list the traffic
                allowed in (for example, port 443 from the load balancer only) and replies are allowed
                automatically. A **load balancer** receives requests on one address and forwards each to
                a healthy server behind it, checking their health every few seconds, so a failed server
                stops receiving traffic without anyone noticing.
            """),
            lab=md("""
                ## Lab: design a network for a web application

                Design the network for a web application with a load balancer, two application servers
                and a managed database, in two availability zones.

                1. Choose an address range for the VPC and split it into four subnets: a public and a
                   private one in each zone. Write each subnet's CIDR block.
                2. Place each component in a subnet.
                3. Write the security group rules: what may reach the load balancer, the application
                   servers and the database, on which ports and from where. Allow nothing else.
                4. Say where the course videos should be stored and why.

                Check yourself: the database must not be reachable from the internet, and no two
                subnets may overlap.
            """),
            lab_minutes=40,
        ),
        ModuleText(
            lecture=(
                ("Least privilege", ("Give each role only what it needs", "Roles with temporary credentials",
                                     "Multi-factor sign-in for people"),
                 "Grant every person and every program only the permissions it needs, prefer roles with "
                 "temporary credentials to long-lived keys, and require multi-factor sign-in."),
                ("Autoscaling", ("Add instances when load rises", "Remove them when it falls",
                                 "Keep servers stateless"),
                 "An autoscaling group adds instances when a metric such as average CPU rises above a "
                 "target and removes them when it falls. It works best when servers keep no state of their own."),
                ("Watch the bill", ("On-demand, committed and spot prices", "Stop what you do not use",
                                    "Tag resources, set budgets"),
                 "Choose the right pricing model, switch off idle resources, and tag everything so that "
                 "budgets and alerts tell you who is spending what."),
            ),
            reading=md("""
                ## Running your first service

                ### Identity and access management

                Every request to a cloud API is made by an identity (a person, or a program acting with
                a role) and is allowed only if a policy permits that action on that resource. The rule
                that keeps incidents small is **least privilege**: give each identity only the actions it
                needs, on only the resources it needs. A report builder that reads one bucket should not
                be able to delete it, or read any other.

                ```yaml
                # illustrative policy: the report builder may read the reports bucket, nothing else
                principal: role/report-builder
                allow:
                  - action: storage:GetObject
                    resource: bucket/reports/*
                ```

                Programs running in the cloud should use **roles**, which hand out short-lived credentials
                automatically, instead of access keys pasted into code or configuration, which leak. People
                sign in with multi-factor authentication, and the all-powerful root account is locked away
                for emergencies. Secrets such as database passwords live in a secrets manager, not in the
                source code.

                ### Autoscaling

                An **autoscaling group** keeps a number of identical instances between a minimum and a
                maximum. A target-tracking policy, for example "keep average CPU at 60%", adds instances
                when load rises (scaling *out*) and removes them when it falls (scaling *in*); health
                checks replace instances that fail. For this to work, instances must be **stateless**:
                sessions and uploads go to a shared store or object storage, so any instance can serve any
                request and any instance can disappear. Scaling *up* to a larger machine also adds
                capacity, but needs a restart and has a ceiling.

                ### The bill

                Cloud costs follow usage, so they also grow without anyone deciding. **On-demand** prices
                need no commitment; **committed-use or reserved** capacity gives a large discount for one
                or three years of steady use; **spot or preemptible** capacity is cheaper still but can be
                taken back at short notice, which suits batch jobs that can restart. Data sent out to the
                internet (egress) is usually charged, while data coming in is free.

                Simple habits keep bills honest: switch off development machines outside working hours (a
                machine used 10 hours on 22 working days runs 220 of the month's 720 hours), delete
                unattached disks and old snapshots, right-size instances that idle at 5% CPU, tag every
                resource with its team and project, and set budgets that alert before the money is gone.
            """),
            lab=md("""
                ## Lab: make a service safe, elastic and affordable

                You are handed the account of a small service: one administrator who uses the root account
                for everything, an access key in the application's configuration file, three web servers
                running all month, and a development database that nobody has used since March.

                1. Write the access policies you would create: who (people and programs) may do what,
                   on which resources. Replace the access key with a role.
                2. Describe an autoscaling group for the web servers: minimum, maximum, the metric and
                   target it tracks, and what must change in the application so that it is stateless.
                3. Estimate the monthly saving if the development database (USD 0.20 an hour) is deleted
                   and two of the web servers (USD 0.10 an hour each) run only 220 hours a month.

                Check yourself: after your changes, which single leaked secret could still delete data?
            """),
            lab_minutes=40,
        ),
    ),
    quiz=(
        single("A service runs in one availability zone. Which change lets it keep running when that "
               "zone's data centre loses power?",
               ("Run copies in two or more zones of the region behind a load balancer",
                "Move it to a larger virtual machine in the same zone",
                "Take a daily snapshot of its disk",
                "Buy reserved capacity for it"),
               0, "Zones fail independently; only copies in other zones keep serving. A snapshot helps you "
                  "restore later, not stay up."),
        single("A team uploads its code and the provider runs, scales and patches the servers for it. "
               "Which service model is this?",
               ("Platform as a service (PaaS)", "Infrastructure as a service (IaaS)",
                "Software as a service (SaaS)", "Colocation"),
               0, "With PaaS you bring the application; the platform manages the operating system and runtime."),
        multiple("Under the shared responsibility model, which of these remain the customer's job on IaaS?",
                 ("Patching the virtual machine's operating system", "Deciding who may access a storage bucket",
                  "Replacing failed disks in the data centre", "Physical security of the building"),
                 (0, 1), "On IaaS you manage the operating system and your configuration and data; the "
                         "provider manages hardware and buildings."),
        single("Which of these is a reason to choose a region, rather than a reason that does not matter?",
               ("Where the law requires your users' personal data to be kept",
                "The region's name in alphabetical order",
                "How many other customers use the region",
                "The time zone your servers' clocks show"),
               0, "Latency to users, data-residency law, price and available services decide the region."),
        multiple("Which are characteristics of cloud computing in the NIST definition?",
                 ("On-demand self-service", "Rapid elasticity", "Measured service",
                  "A minimum contract of three years"),
                 (0, 1, 2), "NIST lists on-demand self-service, broad network access, resource pooling, rapid "
                            "elasticity and measured service; no long commitment is required."),
    ),
    exam=(
        single("Where should a website keep the millions of images its users upload?",
               ("Object storage", "The block volume of one web server", "The database's memory",
                "A file on the load balancer"),
               0, "Object storage scales to billions of objects, is durable and cheap, and any server can reach it."),
        single("What does a security group rule 'allow TCP 5432 from the application servers' group' do "
               "for a database?",
               ("Only the application servers can open connections to it on port 5432",
                "Everyone on the internet can reach it on port 5432",
                "The database can no longer reach the internet",
                "It encrypts the traffic between them"),
               0, "Security groups allow listed inbound traffic and deny the rest; they do not encrypt."),
        numeric("A service is available 99.9% of a 30-day month. At most how many minutes may it be down "
                "that month?", 43.2, 0.5,
                "30 days × 24 h × 60 min = 43,200 minutes; 0.1% of that is 43.2 minutes."),
        single("A batch job can be stopped and restarted at any time. Which pricing is usually cheapest for it?",
               ("Spot or preemptible capacity", "On-demand capacity", "A dedicated host",
                "Three-year reserved capacity for a job that runs one week a year"),
               0, "Spot capacity is heavily discounted because it can be reclaimed, which a restartable job tolerates."),
        multiple("Which of these follow the principle of least privilege?",
                 ("A reporting role that may only read the reports bucket",
                  "Programs using roles with short-lived credentials",
                  "One administrator account shared by the whole team",
                  "An access key with full rights stored in the repository"),
                 (0, 1), "Least privilege gives each identity only what it needs; shared and over-powered "
                         "credentials break it."),
        single("Autoscaling adds a new web server, but some users are suddenly signed out. What is the "
               "most likely cause?",
               ("Sessions are stored on each server instead of in a shared store",
                "The load balancer is in the wrong region",
                "The new server has a faster CPU",
                "Object storage is eventually consistent"),
               0, "Autoscaled servers must be stateless: shared sessions let any server answer any request."),
        numeric("A /24 IPv4 subnet holds how many addresses in total (before the provider reserves any)?",
                256, 0, "A /24 leaves 32 − 24 = 8 bits for hosts: 2⁸ = 256 addresses."),
        single("A development server costing USD 0.10 an hour runs all 720 hours of a month. What do you "
               "save by running it only 220 hours?",
               ("USD 50", "USD 22", "USD 72", "USD 5"),
               0, "720 × 0.10 = USD 72; 220 × 0.10 = USD 22; the saving is USD 50."),
    ),
)


# --- Big Data Analytics with Python --------------------------------------------------------------

DATA = CourseText(
    summary="Tidy data, columnar files and distributions; joins and aggregations in SQL and pandas; "
            "charts that answer a question and A/B tests that support a decision. Hands-on with Python "
            "on data sets from retail and transport.",
    modules=(
        ModuleText(
            lecture=(
                ("Tidy data", ("Each variable a column", "Each observation a row",
                               "Each kind of observation a table"),
                 "Analysis is easiest on tidy data: every variable in its own column, every observation in "
                 "its own row, and one table per kind of thing observed."),
                ("Columnar files", ("CSV: text, row by row", "Parquet: typed, compressed, by column",
                                    "Read only the columns you need"),
                 "At scale, file formats matter. Parquet stores data by column with types and compression, "
                 "so a query reads only the columns it needs."),
                ("Know your distribution", ("Mean versus median", "Spread: standard deviation, quartiles",
                                            "Plot a histogram first"),
                 "Before any model, look at each column's distribution. When a few huge values pull the mean "
                 "away, the median tells you more about the typical case."),
            ),
            reading=md("""
                ## Data at scale

                ### Tidy data

                Most time in an analysis goes into getting data into shape. A useful target is **tidy
                data**: each variable is a column, each observation is a row, and each type of
                observational unit is a table. A spreadsheet with one column per month is not tidy, because
                "month" is a variable spread over many columns; reshaping it to long form, with a `month`
                column and a `sales` column, makes grouping, filtering and plotting straightforward.

                ```python
                import pandas as pd

                wide = pd.DataFrame({"store": ["KL", "SG"], "jan": [120, 95], "feb": [130, 101]})
                tidy = wide.melt(id_vars="store", var_name="month", value_name="sales")
                #   store month  sales
                # 0    KL   jan    120
                # 1    SG   jan     95 ...
                ```

                ### Files that scale

                CSV is universal but slow and loose: every value is text, types must be guessed, and
                reading one column means reading every row in full. Columnar formats such as **Parquet**
                store each column together, with its type and compressed, so a query that needs 3 of 80
                columns reads a small fraction of the file, and statistics stored per block let a reader
                skip blocks that cannot match a filter. Large data sets are also split into many files,
                often partitioned by a column such as date, so that a day's question reads a day's data.

                ### Distributions

                Before modelling anything, look at each column. The **mean** is the sum divided by the
                count; the **median** is the middle value. For skewed data, such as order values or
                incomes, a few very large values pull the mean far above the median, and the median
                better describes a typical customer. Spread is measured by the **standard deviation** or,
                more robustly, by the **interquartile range** (the 75th minus the 25th percentile).

                A histogram shows the shape at a glance: one peak or two, a long right tail, impossible
                values such as negative ages, or a spike at a default value like 0 or 1970-01-01 that
                reveals missing data in disguise. Heavy-tailed quantities are often easier to read on a
                logarithmic axis. Counting missing values per column, and asking why they are missing,
                belongs to the same first look.
            """),
            lab=md("""
                ## Lab: tidy a month of bike-sharing trips

                You receive a spreadsheet of a city's bike-sharing trips: one row per station, one column
                per day of the month with the number of trips, and a notes column where some days say
                "closed".

                1. Reshape the data into tidy form with columns `station`, `date` and `trips`, using
                   pandas' `melt`. Turn "closed" days into missing values, not zeros.
                2. Save it as Parquet and compare the file size with the CSV.
                3. For trips per station-day, compute the mean, the median and the interquartile range,
                   and draw a histogram. Describe the shape in two sentences.

                Check yourself: how many rows should the tidy table have, given the number of stations
                and days?
            """),
            lab_minutes=45,
        ),
        ModuleText(
            lecture=(
                ("Joins", ("Inner: rows that match in both", "Left: every row of the left table",
                           "Duplicate keys multiply rows"),
                 "Joins combine tables on a key. An inner join keeps only matching rows, a left join keeps "
                 "every row on the left. Duplicate keys on both sides multiply rows, so check counts."),
                ("Group by", ("Split rows into groups", "Aggregate each: count, sum, mean",
                              "WHERE filters rows, HAVING filters groups"),
                 "GROUP BY splits rows into groups and aggregates each one. WHERE filters rows before "
                 "grouping; HAVING filters the groups after."),
                ("The same in pandas", ("merge for joins", "groupby and agg", "Check row counts after each step"),
                 "In pandas, merge does joins and groupby with agg does aggregations. After every join, "
                 "compare the row count with what you expected."),
            ),
            reading=md("""
                ## DataFrames and SQL

                ### Joins

                Real data lives in several tables: orders, customers, products. A **join** combines them
                on a key. An **inner join** keeps only the rows whose key appears in both tables; a
                **left join** keeps every row of the left table and fills the right table's columns with
                NULL where there is no match. Left joins are the safe default when the left table defines
                what you are counting, for example "all customers, with their orders if any".

                ```sql
                SELECT c.country,
                       COUNT(DISTINCT c.id) AS customers,
                       COUNT(o.id) AS orders,
                       COALESCE(SUM(o.amount), 0) AS revenue
                FROM customers c
                LEFT JOIN orders o
                  ON o.customer_id = c.id
                 AND o.created_at >= DATE '2026-01-01'
                WHERE c.created_at < DATE '2026-01-01'
                GROUP BY c.country
                HAVING COUNT(DISTINCT c.id) >= 100
                ORDER BY revenue DESC;
                ```

                The most common mistake is a join that silently multiplies rows. If a key appears twice
                on each side, each pair matches and you get four rows; sums over the result are then
                double counted. After every join, check the row count against what you expect, and check
                that keys you believe unique really are.

                ### Aggregation

                `GROUP BY` splits rows into groups that share the listed columns and computes aggregates,
                such as `COUNT`, `SUM`, `AVG`, `MIN` and `MAX`, for each group. `WHERE` filters rows
                before they are grouped; `HAVING` filters groups by their aggregates afterwards. Note in
                the query above that the date condition on orders sits in the `ON` clause: put it in
                `WHERE` and customers without orders would disappear, turning the left join into an inner one.

                ### The same in pandas

                ```python
                orders = orders.merge(
                    customers[["id", "country"]],
                    left_on="customer_id", right_on="id",
                    how="left", validate="many_to_one")
                by_country = orders.groupby("country").agg(
                    orders=("amount", "size"),
                    revenue=("amount", "sum"))
                ```

                The `validate` argument makes pandas raise an error if the customers table has duplicate
                ids, turning the silent row multiplication into a loud one. For data larger than memory,
                the same operations run in a SQL engine or in a distributed engine, where the query plan
                decides how tables are shuffled between machines to meet on their keys.
            """),
            lab=md("""
                ## Lab: revenue by country from three tables

                You have three tables from an online shop: `customers` (id, country, created_at),
                `orders` (id, customer_id, created_at, amount) and `refunds` (order_id, amount).

                1. In SQL, list for each country the number of customers, the number of orders in 2026
                   and the revenue net of refunds. Countries whose customers ordered nothing must appear
                   with zero revenue.
                2. Write the same computation in pandas with `merge` and `groupby`.
                3. The refunds table has two rows for some orders. Show how a careless join double counts
                   revenue, and fix it by aggregating refunds per order before joining.

                Check yourself: your SQL and pandas results must be equal, country by country.
            """),
            lab_minutes=45,
        ),
        ModuleText(
            lecture=(
                ("Charts that answer", ("Line: change over time", "Bar: compare categories",
                                        "Scatter: relationship of two numbers"),
                 "Choose the chart for the question: lines for change over time, bars to compare categories, "
                 "histograms for distributions, scatter plots for relationships."),
                ("A/B tests", ("Randomly assign users", "Fix the metric and sample size first",
                               "Do not stop when it looks good"),
                 "An A/B test randomly assigns users to the old or the new version. Decide the metric and the "
                 "sample size before you start, and do not stop early because the result looks good."),
                ("Reading the result", ("p-value: surprise if nothing changed", "Confidence interval for the effect",
                                        "Is the effect worth it?"),
                 "Report the effect with its confidence interval, not just a p-value, and ask whether an "
                 "effect of that size is worth acting on."),
            ),
            reading=md("""
                ## From analysis to decisions

                ### Charts

                A chart should answer one question. Use a **line chart** for change over time, a **bar
                chart** to compare categories, a **histogram** or box plot for a distribution and a
                **scatter plot** for the relationship between two numeric variables. Bars encode values
                by length, so their axis must start at zero; a line chart may zoom in on its range. Pie
                charts work only for a few parts of one whole; with more slices, sorted bars are easier
                to read.

                Label axes with units, put the conclusion in the title ("Weekend trips doubled since
                March" rather than "Trips by week"), and use colour sparingly and in palettes that people
                with colour-vision deficiency can distinguish. Remove what does not carry information:
                gridlines, 3-D effects, legends that could be direct labels.

                ### A/B tests

                Correlation in observational data rarely proves that a change caused an effect. An **A/B
                test** does: users are randomly assigned to the current version (A) or the new one (B), so
                the two groups differ only by chance and by the change. Before starting, fix the primary
                metric (for example, conversion to purchase), the smallest effect worth detecting and the
                sample size needed to detect it; then run until that size is reached. Checking every day
                and stopping at the first significant result inflates false positives well above 5%.

                The **p-value** is the probability of seeing a difference at least this large if the
                change had no effect at all; it is not the probability that B is better. A **confidence
                interval** for the difference tells you more: "B converts 0.4 to 1.6 percentage points
                better" shows both the direction and whether the smallest plausible effect still pays
                for the change. Also check the split itself: if a 50/50 test ends with 52% of users in
                one group, something in the assignment is broken (a *sample ratio mismatch*) and the
                result cannot be trusted.

                ```python
                from statsmodels.stats.proportion import proportions_ztest

                conversions, visitors = [1_020, 1_130], [10_000, 10_000]
                z, p = proportions_ztest(conversions, visitors)
                ```
            """),
            lab=md("""
                ## Lab: decide on a new checkout page

                A shop tested a new checkout page for two weeks. You receive one row per visitor with the
                assigned group (A or B), the country and whether the visitor bought.

                1. Check the split: is the share of visitors in each group close to what was planned?
                2. Compute the conversion rate of each group and the difference with a 95% confidence
                   interval.
                3. Draw one chart that shows the result to the shop's managers, with a title that states
                   the conclusion.
                4. Write a recommendation of at most five sentences: ship B, keep A, or test longer.

                Check yourself: would your recommendation change if you had stopped the test after three days?
            """),
            lab_minutes=45,
        ),
    ),
    quiz=(
        single("A table has columns store, jan, feb, mar … dec holding monthly sales. Why is it not tidy?",
               ("The variable 'month' is spread across twelve columns",
                "It has too few rows", "Sales should be stored as text", "Stores must be numbered"),
               0, "In tidy data each variable is one column: reshape to store, month, sales."),
        single("A query needs 3 of a table's 80 columns. Why is it much faster on Parquet than on CSV?",
               ("Parquet stores each column together, so only those 3 columns are read",
                "Parquet files are always sorted", "CSV cannot hold numbers",
                "Parquet keeps the data in memory"),
               0, "Columnar storage lets a reader skip the columns a query does not use."),
        single("Order values in a shop are 20, 22, 25, 30 and 900. Which describes a typical order best?",
               ("The median, 25", "The mean, 199.4", "The maximum, 900", "The range, 880"),
               0, "One very large value pulls the mean up; the median is robust to it."),
        numeric("What is the median of 4, 8, 15, 16, 23 and 42?", 15.5, 0.01,
                "With an even count, the median is the mean of the two middle values: (15 + 16) / 2."),
        multiple("A histogram of customers' ages shows a tall spike at 0. Which are plausible explanations?",
                 ("Missing ages were stored as 0", "A default value in a sign-up form",
                  "Many customers are newborn babies", "The histogram has too many bins"),
                 (0, 1), "A spike at a default value usually means missing data in disguise."),
    ),
    exam=(
        single("Customers has 1,000 rows; 300 customers have no orders. Which join lists all customers "
               "with their orders, if any?",
               ("customers LEFT JOIN orders", "customers INNER JOIN orders",
                "orders LEFT JOIN customers", "customers CROSS JOIN orders"),
               0, "A left join keeps every row of the left table, with NULLs where nothing matches."),
        numeric("Table A has key 7 twice and table B has key 7 three times. How many rows for key 7 does "
                "an inner join on the key return?", 6, 0,
                "Each of the 2 rows matches each of the 3 rows: 2 × 3 = 6."),
        single("Which clause keeps only the countries with at least 100 customers?",
               ("HAVING COUNT(*) >= 100", "WHERE COUNT(*) >= 100", "ORDER BY COUNT(*) LIMIT 100",
                "GROUP BY 100"),
               0, "WHERE filters rows before grouping; conditions on aggregates belong in HAVING."),
        single("Which chart best shows how daily active users changed over the last year?",
               ("A line chart", "A pie chart", "A scatter plot of users against country",
                "A table of 365 numbers"),
               0, "Change over time is read most easily along a line."),
        single("A bar chart's vertical axis starts at 95 instead of 0. What is wrong with it?",
               ("Bars encode values by length, so small differences look huge",
                "Bar charts must be horizontal", "The colours are wrong", "Nothing: it saves space"),
               0, "Bar length must be proportional to the value, so bar axes start at zero."),
        single("An A/B test reports p = 0.03. What does this mean?",
               ("If the change had no effect, a difference this large would appear about 3% of the time",
                "B is better with a probability of 97%",
                "The effect is 3 percentage points",
                "3% of users saw the wrong version"),
               0, "The p-value assumes no effect and measures how surprising the data would be."),
        multiple("Which practices keep an A/B test trustworthy?",
                 ("Fix the metric and sample size before starting",
                  "Assign users to groups at random",
                  "Stop as soon as the result is significant",
                  "Choose the metric after seeing which one improved"),
                 (0, 1), "Peeking and choosing metrics afterwards inflate false positives."),
        numeric("Group A converts 10.0% of visitors and group B 11.5%. What is B's relative uplift in percent?",
                15, 0.1, "(11.5 − 10.0) / 10.0 = 0.15, a 15% relative uplift (1.5 percentage points)."),
    ),
)


# --- Machine Learning Foundations -----------------------------------------------------------------

ML = CourseText(
    summary="Supervised learning from the ground up: training, validation and test sets, overfitting "
            "and leakage, linear and logistic regression, decision trees and ensembles, and the metrics "
            "that say whether a model is any good (RMSE, precision, recall, F1, AUC), then how to ship and "
            "watch a model in production.",
    modules=(
        ModuleText(
            lecture=(
                ("Supervised learning", ("Examples with known answers", "Learn a function from features to label",
                                         "Predict for new cases"),
                 "In supervised learning, a model learns from examples whose answers are known, and then "
                 "predicts the answer for new cases it has not seen."),
                ("Three splits", ("Train: fit the model", "Validation: choose settings",
                                  "Test: measure once, at the end"),
                 "Split the data three ways: fit on the training set, choose between models on the validation "
                 "set, and measure the final model once on the test set."),
                ("Overfitting", ("Great on training data", "Poor on new data", "Simplify, regularise, add data"),
                 "A model that memorises its training data scores well there and badly on new data. That is "
                 "overfitting; simpler models, regularisation and more data reduce it."),
                ("Leakage", ("Information from the future", "Preprocessing fitted on all data",
                             "Too good to be true? Check"),
                 "Leakage is information in training that will not exist at prediction time. It makes a model "
                 "look excellent in testing and fail in use."),
            ),
            reading=md("""
                ## Learning from data

                In **supervised learning** we have examples whose answer is known, for instance past loan
                applications (the *features*) and whether each loan was repaid (the *label*). A learning
                algorithm fits a model, a function from features to label, that should predict the label
                for applications it has never seen. Predicting a number is **regression**; predicting a
                category is **classification**.

                ### Training, validation and test sets

                A model's score on the data it was trained on says little about new data, so we hold data
                back. The **training set** fits the model's parameters. The **validation set** compares
                models and chooses hyperparameters such as a tree's depth. The **test set** is used once,
                at the very end, to estimate how the chosen model will perform; if you keep adjusting the
                model after looking at the test score, the test set has become a second validation set and
                its estimate is optimistic. With little data, **k-fold cross-validation** rotates the
                validation role through k parts of the training data and averages the scores.

                ```python
                from sklearn.model_selection import train_test_split

                X_train, X_test, y_train, y_test = train_test_split(
                    X, y, test_size=0.2, stratify=y, random_state=42)
                ```

                ### Overfitting and underfitting

                A model **overfits** when it learns the noise of its training data: training error is low
                but validation error is much higher. A model **underfits** when it is too simple to capture
                the pattern: both errors are high. Remedies for overfitting include more data, a simpler
                model, regularisation (penalising large coefficients), limiting tree depth and stopping
                training early; remedies for underfitting include richer features and more flexible
                models. Plotting both errors against model complexity shows where the balance lies.

                ### Leakage

                **Data leakage** means the model sees, during training, information it will not have when
                it predicts. Classic cases: a feature recorded after the outcome (a "days overdue" column
                in a default model); scaling or imputing with statistics computed on all data before the
                split; the same customer appearing in both training and test sets; and random splits of
                time series, which let the model learn from the future. Leakage produces results that are
                too good to be true. Split first, fit every preprocessing step on the training data only,
                and split by time or by group when the data calls for it.
            """),
            lab=md("""
                ## Lab: splits and a learning curve

                Use the public *breast cancer* data set that ships with scikit-learn
                (`sklearn.datasets.load_breast_cancer`).

                1. Split it into training (60%), validation (20%) and test (20%) sets, stratified by the
                   label and with a fixed random seed.
                2. Train decision trees with maximum depth 1 to 15. Plot training and validation accuracy
                   against depth and mark where overfitting begins.
                3. Choose a depth using the validation set only, then report the test accuracy once.
                4. Deliberately leak: standardise the features on the whole data set before splitting and
                   compare. Explain why this matters more for some models than for others.

                Check yourself: your test accuracy should be close to, and usually a little below, the
                validation accuracy of the depth you chose.
            """),
            lab_minutes=60,
        ),
        ModuleText(
            lecture=(
                ("Linear models", ("Linear regression: weighted sum", "Logistic regression: a probability",
                                   "Coefficients you can read"),
                 "Linear regression predicts a number as a weighted sum of features. Logistic regression "
                 "passes that sum through the sigmoid to give a probability."),
                ("Trees and ensembles", ("A tree: questions on features", "Random forest: many trees, averaged",
                                         "Boosting: trees that fix errors"),
                 "A decision tree asks a sequence of questions about the features. Random forests average "
                 "many trees; gradient boosting adds trees that correct the previous ones' errors."),
                ("Metrics", ("RMSE for numbers", "Precision, recall and F1", "AUC: ranking quality"),
                 "Choose the metric for the job: RMSE for regression; precision, recall and F1 for classes; "
                 "and AUC for how well the model ranks positives above negatives."),
            ),
            reading=md("""
                ## Models and metrics

                ### Linear and logistic regression

                **Linear regression** predicts a number as a weighted sum of the features plus an
                intercept, choosing the weights that minimise the squared error on the training data. Its
                coefficients are easy to read: holding the other features fixed, one more unit of a
                feature changes the prediction by its weight. **Logistic regression** is its counterpart
                for classification: the weighted sum is passed through the sigmoid function
                `1 / (1 + e^(-z))`, giving a probability between 0 and 1, and the weights are fitted by
                minimising the log loss. A threshold, 0.5 by default, turns the probability into a class.
                Both benefit from scaled features and from regularisation (L2 shrinks all weights; L1
                sets some to zero).

                ### Trees and ensembles

                A **decision tree** splits the data with questions such as "income < 3,000?", choosing at
                each node the split that best separates the labels, until leaves are pure or a depth
                limit is reached. Trees handle non-linear relationships and mixed feature types without
                scaling, but a deep tree overfits. A **random forest** trains many trees on bootstrap
                samples with random subsets of features and averages them, which reduces variance.
                **Gradient boosting** adds shallow trees one after another, each fitted to the errors of
                the ensemble so far; it is often the strongest method on tabular data.

                ### Metrics

                For regression, the **root mean squared error (RMSE)** is the square root of the average
                squared error, in the units of the target; squaring makes large errors count heavily. The
                mean absolute error is gentler on outliers. For classification, **accuracy** misleads when
                classes are imbalanced: if 1% of transactions are fraud, a model that never flags fraud is
                99% accurate. **Precision** is the share of flagged cases that are truly positive,
                **recall** the share of positives that are flagged, and **F1** their harmonic mean,
                `2PR / (P + R)`.

                ```python
                from sklearn.metrics import f1_score, mean_squared_error, roc_auc_score

                rmse = mean_squared_error(y_true, y_pred) ** 0.5
                f1 = f1_score(y_true, y_pred_class)
                auc = roc_auc_score(y_true, y_pred_probability)
                ```

                The **ROC AUC** does not depend on a threshold: it is the probability that the model gives
                a randomly chosen positive a higher score than a randomly chosen negative. 0.5 is random
                guessing, 1.0 a perfect ranking. Choose the threshold afterwards from the costs of the two
                kinds of error: a missed fraud may cost far more than a needless check.
            """),
            lab=md("""
                ## Lab: compare three models on imbalanced data

                Use a credit-card fraud style data set in which fewer than 2% of rows are positive (the
                course's open cohort provides one; any imbalanced public data set will do).

                1. Train a logistic regression, a random forest and a gradient-boosting model with the same
                   training and validation split.
                2. For each model, report accuracy, precision, recall, F1 at threshold 0.5, and ROC AUC on
                   the validation set.
                3. Explain why accuracy ranks the models differently from AUC.
                4. Choose a threshold for the best model, assuming that a missed fraud costs 50 times as
                   much as checking a legitimate transaction, and justify it.

                Check yourself: a model that always predicts "not fraud" must score high accuracy and zero recall.
            """),
            lab_minutes=60,
        ),
        ModuleText(
            lecture=(
                ("One pipeline", ("Preprocessing and model together", "Fitted on training data only",
                                  "The same code in production"),
                 "Put preprocessing and the model into one pipeline, fitted on training data only, and ship "
                 "that pipeline, so production transforms data exactly as training did."),
                ("Baselines and versions", ("Beat a simple baseline first", "Version data, code and model",
                                            "Record every experiment"),
                 "Compare every model with a simple baseline, and version the data, code and model so that "
                 "any result can be reproduced."),
                ("Watch it in use", ("Inputs drift away from training", "Monitor inputs and outcomes",
                                     "Retrain on fresh data"),
                 "After release, the world changes. Monitor the inputs and the outcomes, and retrain when the "
                 "data drifts away from what the model learned."),
            ),
            reading=md("""
                ## Shipping a model

                A model is useful only when it makes predictions where decisions are taken, and keeps
                making good ones. Most failures after release are not about the algorithm but about the
                data around it.

                ### One pipeline from training to production

                Transformations such as imputing missing values, scaling and encoding categories are part
                of the model. Fit them on the training data only, inside the same pipeline as the
                estimator, and ship the fitted pipeline. Re-implementing the preprocessing by hand in the
                serving code is a common source of *training-serving skew*, where production quietly feeds
                the model different numbers from those it learned on.

                ```python
                from sklearn.compose import make_column_transformer
                from sklearn.linear_model import LogisticRegression
                from sklearn.pipeline import make_pipeline
                from sklearn.preprocessing import OneHotEncoder, StandardScaler

                model = make_pipeline(
                    make_column_transformer((StandardScaler(), ["income", "age"]),
                                            (OneHotEncoder(handle_unknown="ignore"), ["region"])),
                    LogisticRegression(max_iter=1000))
                model.fit(X_train, y_train)
                ```

                ### Baselines, versions and reproducibility

                Always compare with a **baseline**: predicting the mean, the majority class, or last
                week's value. A complex model that barely beats it may not be worth its cost. Record
                each experiment's data version, code version, parameters and scores, and fix random
                seeds, so that a result can be reproduced months later and a model in production can
                be traced back to exactly what produced it.

                ### Monitoring and retraining

                The world a model was trained on changes: prices rise, customers behave differently, a
                partner changes a form so that a field arrives empty. **Data drift** is a change in the
                distribution of the inputs; **concept drift** a change in the relationship between inputs
                and outcome. Monitor the inputs (missing values, ranges, distributions compared with the
                training data), the predictions, and, once they arrive, the real outcomes. Retrain on
                recent data on a schedule or when monitoring shows drift, and release the new model only
                if it beats the current one on the same recent test data.
            """),
            lab=md("""
                ## Lab: package a model for release

                Take the best model from the previous lab and prepare it for release.

                1. Rebuild it as one scikit-learn pipeline including all preprocessing, fitted on the
                   training data only, and save it with `joblib`.
                2. Compare it with a baseline that always predicts the majority class and with one that
                   uses a single rule of your choice.
                3. Write a short model card: the data it was trained on, its intended use, its metrics on
                   the test set, and the situations in which it should not be used.
                4. Simulate drift: change the distribution of one feature in a copy of the test set and
                   show which monitoring check would notice.

                Check yourself: loading the saved pipeline in a fresh Python session must give the same
                predictions as before saving.
            """),
            lab_minutes=60,
        ),
    ),
    quiz=(
        single("Why should the test set be used only once, at the end?",
               ("Choosing models by their test score makes that score an optimistic estimate",
                "Test data expires after one use", "Using it twice doubles the training time",
                "The test set is smaller than the training set"),
               0, "Once decisions depend on the test set, it no longer measures performance on unseen data."),
        single("Training accuracy is 99% and validation accuracy 71%. What is the most likely diagnosis?",
               ("Overfitting", "Underfitting", "Data leakage into validation", "A perfect model"),
               0, "A large gap between training and validation scores is the signature of overfitting."),
        multiple("Which of these cause data leakage?",
                 ("Scaling features with statistics computed on all the data before splitting",
                  "A feature recorded after the outcome it predicts",
                  "Fitting the model on the training set only",
                  "Using a fixed random seed"),
                 (0, 1), "Both let information from outside the training data, or from the future, into training."),
        single("You forecast next month's sales from three years of data. How should you split it?",
               ("Train on the earlier months and validate on the latest ones",
                "Shuffle all months and split at random",
                "Use every month for both training and validation",
                "Validate on the oldest months"),
               0, "Time series are split by time, so the model never learns from the future."),
        multiple("Which usually reduce overfitting?",
                 ("More training data", "Regularisation", "Limiting a tree's depth",
                  "Adding many more features"),
                 (0, 1, 2), "More features give the model more ways to memorise noise."),
    ),
    exam=(
        numeric("A classifier has precision 0.8 and recall 0.5. What is its F1 score? (two decimals)",
                0.615, 0.01, "F1 = 2 × 0.8 × 0.5 / (0.8 + 0.5) = 0.8 / 1.3 ≈ 0.615."),
        numeric("A model's errors on four houses are 2, −2, 4 and −4 (thousand dollars). What is the RMSE, "
                "in thousands? (two decimals)", 3.16, 0.01,
                "The mean of the squares is (4 + 4 + 16 + 16) / 4 = 10; its square root is about 3.16."),
        single("A model's ROC AUC is 0.5. What does that mean?",
               ("It ranks positives above negatives no better than chance",
                "Half of its predictions are correct at every threshold",
                "It is right for 50% of the positives",
                "It needs a threshold of 0.5"),
               0, "AUC is the probability that a random positive outscores a random negative; 0.5 is chance."),
        single("1% of transactions are fraud. Why is 99% accuracy not evidence of a good model?",
               ("A model that never flags fraud also scores 99%",
                "Accuracy cannot be computed for fraud",
                "99% is too low for any use",
                "Accuracy only works for regression"),
               0, "With imbalanced classes, look at precision, recall, F1 or AUC."),
        single("What does logistic regression output before a threshold is applied?",
               ("A probability between 0 and 1", "A class label only", "A number of trees",
                "The squared error"),
               0, "The weighted sum of the features goes through the sigmoid, giving a probability."),
        single("How does a random forest reduce the overfitting of a single deep tree?",
               ("By averaging many trees trained on different samples and features",
                "By using only one feature", "By removing the test set", "By training one very deep tree"),
               0, "Averaging decorrelated trees reduces variance."),
        multiple("Which belong to monitoring a model in production?",
                 ("Comparing the distribution of inputs with the training data",
                  "Tracking the real outcomes as they arrive",
                  "Retraining on the test set until it scores 100%",
                  "Turning off logging to save money"),
                 (0, 1), "Drift in inputs and in outcomes tells you when the model needs retraining."),
        single("Why ship the preprocessing and the model as one fitted pipeline?",
               ("Production then transforms data exactly as training did",
                "Pipelines train faster on GPUs", "It hides the model's coefficients",
                "It removes the need for a test set"),
               0, "Re-implemented preprocessing causes training-serving skew."),
    ),
)
