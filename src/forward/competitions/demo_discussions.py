"""Demo discussion of the running Tmall repeat-buyer competition: a pinned welcome from the host,
a broken submission explained, a shared baseline, what AUC rewards, and a question about the data
that only the host can answer, still waiting. Written by the host's admin and participants who
accepted the rules (the named NTU student, then the earliest registrations). Loading again adds
nothing (see forward.discussions.demo)."""

from __future__ import annotations

from forward.discussions import demo as discussions_demo
from forward.discussions.demo import DemoReply as R
from forward.discussions.demo import DemoThread as T

from .discussions import competition_board
from .models import Competition, Registration

HOST = "host@tianmu.forward.demo"
STUDENT = "student@ntu.forward.demo"
FENCE = "```"


def _participants(competition: Competition, count: int = 5) -> list[str]:
    registered = Registration.objects.filter(competition=competition)
    return discussions_demo.cast(registered.filter(user__email=STUDENT).values_list("user__email", flat=True),
                                 registered.order_by("user_id").values_list("user__email", flat=True)[:count], count)


def _tmall(ref: str, student: str, a: str, b: str, c: str, d: str) -> list[T]:
    return [
        T(ref=ref, author=HOST, is_question=False, pinned=True, days_ago=11.5, votes=(student, a, b, c),
          title="Welcome: read this before your first submission",
          body="Welcome to the Tmall repeat-buyer prediction, and thank you for taking part.\n\n"
               "* Submit a CSV with a header and one row per `pair_id` in `test.csv`, with the probability "
               "that the buyer comes back to the merchant:\n\n"
               f"{FENCE}text\npair_id,prob\n180001,0.0731\n180002,0.2194\n{FENCE}\n\n"
               "* The score is the **area under the ROC curve**: only the order of your probabilities "
               "matters, 0.5 is guessing and 1.0 is perfect.\n"
               "* The public leaderboard uses 30 % of the test pairs; the final ranking uses the other "
               "70 %, so do not tune against the public score alone.\n"
               "* Up to 5 submissions per team per day (the day resets at 00:00 UTC). Choose up to 2 "
               "final submissions before the end.\n\n"
               "Ask about the data and the rules here; sharing ideas and code publicly on this board is "
               "welcome, sharing privately outside your team is not."),
        T(ref=ref, author=a, days_ago=9, votes=(c,),
          title="My submission failed: \"The header has missing column prob\"",
          body="My submission failed with *The header has missing column prob and unexpected column "
               "probability. Expected exactly: pair_id,prob.* The predictions are all there; the first "
               "lines are:\n\n"
               f"{FENCE}text\npair_id,probability\n180001,0.12\n180002,0.56\n{FENCE}\n\nWhat is wrong?",
          replies=(
              R(author=HOST, hours=1.5, votes=(a, student, d),
                body="The column has to be called exactly `prob`, as in `sample_submission.csv`. With "
                     "pandas:\n\n"
                     f"{FENCE}python\nsub = pd.DataFrame({{\"pair_id\": test.pair_id, \"prob\": model.predict_proba(X_test)[:, 1]}})\n"
                     f"sub.to_csv(\"submission.csv\", index=False)\n{FENCE}\n\n"
                     "A file that fails these checks does not count against your daily limit."),
              R(author=a, hours=2, body="Renamed it and it scored 0.71. Thanks for the quick answer!"),
          ), answer=0),
        T(ref=ref, author=student, is_question=False, days_ago=7, votes=(a, b, c, d),
          title="A simple LightGBM baseline at 0.70 public AUC",
          body="Sharing what got our team past the host's logistic baseline, in case it helps someone "
               "starting out. No feature engineering yet, only the given columns:\n\n"
               f"{FENCE}python\nimport lightgbm as lgb\n\n"
               "features = [\"age_range\", \"gender\", \"clicks\", \"carts\", \"favourites\", \"purchases\",\n"
               "            \"days_active\", \"merchant_repeat_rate\", \"user_merchants\"]\n"
               "model = lgb.LGBMClassifier(n_estimators=400, learning_rate=0.03, num_leaves=31,\n"
               "                           subsample=0.8, subsample_freq=1, colsample_bytree=0.8)\n"
               f"model.fit(train[features], train.repeat_buyer)\n{FENCE}\n\n"
               "Five-fold cross-validation gives 0.703 ± 0.004 and the public leaderboard 0.701, so the "
               "public split seems representative. `merchant_repeat_rate` is by far the most important "
               "feature.",
          replies=(
              R(author=c, hours=5, votes=(student,),
                body="Thanks! Ratios helped us a little on top of this: `carts / clicks` and "
                     "`purchases / days_active` (+0.004 in cross-validation)."),
              R(author=b, hours=30,
                body="Careful with `categorical_feature` for `age_range`: 0 means unknown, not younger "
                     "than 18, so treating it as a number puts the unknowns next to the teenagers."),
          )),
        T(ref=ref, author=d, days_ago=4, votes=(b,),
          title="Do I need calibrated probabilities, or only a good ranking?",
          body="My model's probabilities are all between 0.02 and 0.30 because repeat buyers are rare. "
               "Should I rescale them to spread over 0 to 1 before submitting?",
          replies=(
              R(author=b, hours=2, votes=(d, a),
                body="Not for this metric. AUC only looks at the order of the predictions: any "
                     "transformation that keeps the order (rescaling, a logistic, ranks divided by their "
                     "count) gives exactly the same score. You can check locally:\n\n"
                     f"{FENCE}python\np = pd.Series(model.predict_proba(X_valid)[:, 1])\n"
                     f"roc_auc_score(y_valid, p) == roc_auc_score(y_valid, p.rank() / len(p))   # True\n{FENCE}\n\n"
                     "Calibration would matter for log loss, not here."),
          ), answer=0),
        T(ref=ref, author=c, days_ago=1.5,
          title="Does merchant_repeat_rate include the Double 11 promotion itself?",
          body="The overview says `merchant_repeat_rate` is the merchant's *historical* repeat rate. Is "
               "it computed from before the promotion only, or does it include buyers from the promotion "
               "whose labels we are predicting? If it is the latter, it leaks part of the label."),
    ]


def threads() -> list[T]:
    competition = Competition.objects.filter(slug="tmall-repeat-buyers").first()
    if competition is None:
        return []
    people = _participants(competition)
    return _tmall(competition_board(competition), *people) if len(people) == 5 else []


def load() -> int:
    """Create the competition's demo threads not there yet; returns how many were created."""
    return discussions_demo.load(threads=threads())
