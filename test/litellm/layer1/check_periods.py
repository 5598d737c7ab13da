"""Layer 1: keyward's budget-period answers agree with the installed LiteLLM's own functions.

Run with the Python of a venv that holds litellm (test/litellm/venv.sh VERSION), from the repo root:
    python test/litellm/layer1/check_periods.py
It builds a grid of durations x instants x proxy time zones, asks LiteLLM
(litellm/litellm_core_utils/duration_parser.py: get_next_standardized_reset_time, duration_in_seconds,
get_budget_window_start where present; validate_budget_duration where present), runs keyward's side
(test/litellm/layer1/predict.ts, on purpose in a machine time zone that is none of the proxy's) and
compares:
  reset     predictResetAt(d, now, tz) == get_next_standardized_reset_time(d, now, tz)
  sent      what parsePeriod sends is a duration LiteLLM reads (no silent next-midnight fallback), means
            the same as what the user typed whenever LiteLLM reads that too, and is never a guess
            (1M: month or minute?)
  expiry    what parseExpiry sends parses with duration_in_seconds to the length keyward assumes
  word      isWordDuration(d) <=> LiteLLM's reset parser cannot read d (before the word aliases)
  window    budgetWindow(d, reset, now, tz).start == get_budget_window_start(d, reset) on the proxy clock
  monthly   verifyMonthlyReset calls a budget daily exactly when LiteLLM resets it within a day
Each disagreement is a FAIL, unless it is in DOCUMENTED (a version difference or a deliberate choice,
with the reason). Exit 1 on any FAIL; the last line is a one-line summary.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import re
import subprocess
import sys
import time as real_time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from litellm.litellm_core_utils import duration_parser as dp  # noqa: E402

logging.getLogger("LiteLLM").setLevel(logging.ERROR)

VERSION = importlib.metadata.version("litellm")
ROOT = Path(__file__).resolve().parents[3]
HAS_ALIASES = hasattr(dp, "_BUDGET_DURATION_WORD_ALIASES")
WORDS = {"hourly": "1h", "daily": "24h", "weekly": "7d", "monthly": "30d"}
RESET_UNITS = {"s", "m", "h", "d", "w", "mo"}

try:
    from litellm.proxy.management_endpoints.common_utils import validate_budget_duration
except Exception:  # noqa: BLE001 - older releases have no write-time check
    validate_budget_duration = None

DURATIONS = [
    "1h", "24h", "1d", "7d", "1w", "30d", "1mo", "2mo", "30min", "1month", "7days", "30D", "1M",
    "monthly", "weekly", "daily", "hourly", "Monthly", " 30d", "1MO", "", "0d",
    "14d", "2w", "5h", "30m", "45s",
    # Blanks and capitals around readable durations, and edges the mutation tests pin (issue #18).
    "30d ", "1W", "24H", "0h", "15m", "30dx",
]
ZONES = ["UTC", "America/New_York", "Asia/Tokyo", "Asia/Kolkata"]
# Wall-clock instants, taken in each proxy zone, plus the same list read as UTC.
LOCAL_INSTANTS = [
    "2028-01-31T23:59:59", "2028-02-01T00:00:00",  # end of a 31-day month
    "2028-02-28T23:59:59", "2028-02-29T00:00:00", "2028-02-29T12:34:56", "2028-02-29T23:59:59",  # leap day
    "2028-03-01T00:00:00",
    "2028-03-05T23:59:59", "2028-03-06T00:00:00", "2028-03-06T09:15:00",  # a Sunday night, a Monday
    "2028-03-12T03:30:00",  # New York springs forward at 02:00 that Sunday
    "2028-11-05T01:30:00",  # New York falls back: 01:30 happens twice
    "2028-04-30T23:59:59", "2028-12-31T23:59:59", "2029-01-01T00:00:00", "2027-12-31T12:00:00",
]

# Documented differences: (name, predicate(check, row, litellm, keyward), reason). A disagreement that a
# predicate matches is reported as documented instead of failing.
DOCUMENTED = [
    (
        "words before the aliases",
        lambda check, r, l, k: check == "reset" and not HAS_ALIASES and r["duration"].strip().lower() in WORDS,
        "LiteLLM before 1.95 has no _BUDGET_DURATION_WORD_ALIASES: a stored 'monthly' resets at the next "
        "midnight (the nightly trap). predictResetAt follows the newest rules; keyward never sends a word, "
        "and keys info/audit read the real budget_reset_at and warn (verifyMonthlyReset)",
    ),
    (
        "words on the newest releases",
        lambda check, r, l, k: check == "word" and HAS_ALIASES and r["duration"].strip().lower() in WORDS,
        "isWordDuration answers for the releases before 1.95, where a stored word resets nightly; on newer "
        "ones the word is an alias, and keyward goes by the budget_reset_at the proxy reports",
    ),
    (
        "an empty duration",
        lambda check, r, l, k: check == "word" and r["duration"] == "",
        "'' is no period to keyward (nothing is sent, a key without budget_duration never resets); LiteLLM "
        "resets a stored '' at the next midnight. keyward never sends ''",
    ),
    (
        "months as an expiry",
        lambda check, r, l, k: check == "expiry-mo",
        "durationMs counts 1mo as 30 days (an estimate; nothing keyward decides depends on it); LiteLLM "
        "expires a key N calendar months from now",
    ),
    (
        "window of an unreadable duration",
        lambda check, r, l, k: check == "window" and k is None and dp._parse_duration(normalize(r["duration"]))[1] not in RESET_UNITS,
        "budgetWindow does not guess a window for a duration LiteLLM cannot read (LiteLLM assumes one day); "
        "currentWindow treats such a budget as resetting nightly, which is what LiteLLM does",
    ),
]

normalize = getattr(dp, "_normalize_duration", lambda d: d)


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    u = dt.astimezone(timezone.utc)
    return u.strftime("%Y-%m-%dT%H:%M:%S.") + f"{u.microsecond // 1000:03d}Z"


def litellm_reset(duration: str, now: datetime, tz: str) -> datetime | None:
    try:
        return dp.get_next_standardized_reset_time(duration, now, tz)
    except ValueError:
        return None


def reads(duration: str, aliases: bool) -> bool:
    """LiteLLM's reset parser reads it (no fallback to the next midnight)."""
    value, unit = dp._parse_duration(normalize(duration) if aliases else duration)
    return value is not None and unit in RESET_UNITS


class FrozenTime:
    """Stands in for the `time` module inside duration_parser, so `Nmo` is measured from the grid's instant."""

    def __init__(self, at: float):
        self.at = at

    def time(self) -> float:
        return self.at

    def __getattr__(self, name):
        return getattr(real_time, name)


def seconds_at(duration: str, now: datetime, tz: str) -> int | None:
    attr = "time_module" if hasattr(dp, "time_module") else "time"
    saved, saved_tz = getattr(dp, attr), os.environ.get("TZ")
    os.environ["TZ"] = tz
    real_time.tzset()
    setattr(dp, attr, FrozenTime(now.timestamp()))
    try:
        return dp.duration_in_seconds(duration)
    except (ValueError, OverflowError):
        return None
    finally:
        setattr(dp, attr, saved)
        if saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved_tz
        real_time.tzset()


def grid() -> list[dict]:
    rows = []
    for tz in ZONES:
        zone = ZoneInfo(tz)
        instants = {datetime.fromisoformat(s).replace(tzinfo=zone) for s in LOCAL_INSTANTS}
        instants |= {datetime.fromisoformat(s).replace(tzinfo=timezone.utc) for s in LOCAL_INSTANTS}
        for now in sorted(instants):
            for d in DURATIONS:
                reset = litellm_reset(d, now, tz)
                rows.append({"id": len(rows), "duration": d, "now": iso(now), "tz": tz, "resetAt": iso(reset), "_now": now, "_reset": reset})
    return rows


def keyward(rows: list[dict]) -> dict[int, dict]:
    tsx = ROOT / "node_modules" / ".bin" / "tsx"
    payload = json.dumps({"rows": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]})
    # A machine time zone that is none of the proxy zones: keyward must not depend on it.
    env = {**os.environ, "TZ": "Europe/Berlin"}
    out = subprocess.run([str(tsx), str(ROOT / "test/litellm/layer1/predict.ts")], input=payload, capture_output=True, text=True, cwd=ROOT, env=env)
    if out.returncode != 0:
        sys.exit(f"check_periods: keyward's predictor failed: {out.stderr.strip()}")
    return {a["id"]: a for a in json.loads(out.stdout)["rows"]}


def main() -> int:
    rows = grid()
    answers = keyward(rows)
    fails: list[str] = []
    documented: Counter[str] = Counter()
    compared: Counter[str] = Counter()

    def verdict(check: str, r: dict, litellm, kw, ok: bool, what: str) -> None:
        compared[check] += 1
        if ok:
            return
        for name, pred, _ in DOCUMENTED:
            if pred(check, r, litellm, kw):
                documented[name] += 1
                return
        fails.append(f"{check}: {r['duration']!r} at {r['now']} in {r['tz']}: {what}")

    for r in rows:
        k = answers[r["id"]]
        d, now, tz, reset = r["duration"], r["_now"], r["tz"], r["_reset"]

        verdict("reset", r, iso(reset), k["predictResetAt"], iso(reset) == k["predictResetAt"], f"LiteLLM {iso(reset)}, keyward {k['predictResetAt']}")

        period = k["parsePeriod"]
        if "ok" in period:
            sent = period["ok"]["duration"]
            sent_reset = litellm_reset(sent, now, tz)
            verdict("sent", r, None, sent, reads(sent, HAS_ALIASES), f"keyward sends {sent!r}, which LiteLLM resets at the next midnight")
            verdict("sent", r, iso(sent_reset), k["predictResetAtSent"], iso(sent_reset) == k["predictResetAtSent"], f"for the sent {sent!r} LiteLLM {iso(sent_reset)}, keyward {k['predictResetAtSent']}")
            if validate_budget_duration is not None:
                try:
                    validate_budget_duration(sent)
                    accepted = True
                except Exception:  # noqa: BLE001
                    accepted = False
                verdict("sent", r, None, sent, accepted, f"validate_budget_duration refuses the sent {sent!r}")
            if reads(d, True):
                verdict("sent", r, iso(reset), iso(sent_reset), iso(reset) == iso(sent_reset), f"typed {d!r} means {iso(reset)} to LiteLLM, sent {sent!r} means {iso(sent_reset)}")
            else:
                # What was meant: a word's duration (keyward sends daily as 1d), else the typed duration lowercased.
                typed = d.strip().lower()
                meant = WORDS[typed].replace("24h", "1d") if typed in WORDS else typed
                guess = bool(re.fullmatch(r"\d+M", d.strip())) or sent != meant
                verdict("sent", r, None, sent, not guess, f"LiteLLM cannot read {d!r} and keyward guessed {sent!r}")
        else:
            if reads(d, True) and validate_budget_duration is not None:
                try:
                    validate_budget_duration(d)
                    refused_by_litellm = False
                except Exception:  # noqa: BLE001
                    refused_by_litellm = True
                verdict("refused", r, None, period["error"], refused_by_litellm or d.strip().lower() in WORDS, f"keyward refuses {d!r} ({period['error']}) that LiteLLM accepts and reads")

        expiry = k["parseExpiry"]
        if "ok" in expiry:
            sent = expiry["ok"]
            seconds = seconds_at(sent, now, tz)
            verdict("expiry", r, seconds, sent, seconds is not None and seconds > 0, f"duration_in_seconds({sent!r}) = {seconds}")
            kw_ms = k["durationMs"] if sent == d else None
            if seconds is not None and sent.endswith("mo"):
                months = int(sent[:-2])
                verdict("expiry", r, seconds, sent, 28 * 86400 * months <= seconds <= 31 * 86400 * months, f"{sent} lasts {seconds} s")
                if kw_ms is not None:
                    verdict("expiry-mo", r, seconds, kw_ms, kw_ms == seconds * 1000, f"LiteLLM {seconds} s, keyward {kw_ms / 1000:.0f} s")
            elif seconds is not None and kw_ms is not None:
                verdict("expiry", r, seconds, kw_ms, kw_ms == seconds * 1000, f"LiteLLM {seconds} s, keyward {kw_ms / 1000:.0f} s")

        verdict("word", r, None, k["isWordDuration"], k["isWordDuration"] == (not reads(d, False)), f"isWordDuration {k['isWordDuration']}, LiteLLM (no aliases) reads it: {reads(d, False)}")

        if hasattr(dp, "get_budget_window_start") and reset is not None:
            expected = min(dp.get_budget_window_start(d, reset.astimezone(ZoneInfo(tz))), now)
            verdict("window", r, iso(expected), k["budgetWindowStart"], k["budgetWindowStart"] == iso(expected), f"LiteLLM {iso(expected)}, keyward {k['budgetWindowStart']}")

        if k["isMonthlyDuration"] and reset is not None and reset > now:
            following = litellm_reset(d, reset, tz)
            daily = following is not None and (following - reset) < timedelta(hours=25)
            status = (k["verifyMonthlyReset"] or {}).get("status")
            near = min(abs((reset.astimezone(timezone.utc) - b).total_seconds()) for b in month_bounds(reset)) <= 36 * 3600
            ok = status == ("resets-daily" if daily else "ok") or (daily and status == "ok" and near)
            verdict("monthly", r, "daily" if daily else "monthly", status, ok, f"LiteLLM resets {'daily' if daily else 'monthly'} (next {iso(reset)}, then {iso(following)}), keyward says {status}")

    # The proxy's own entry point (get_budget_reset_time: litellm_settings.timezone, now) is the function compared above.
    import litellm
    from litellm.proxy.common_utils import timezone_utils
    for tz in ZONES:
        litellm.timezone = tz
        for d in ("30d", "7d", "1d", "monthly"):
            for _ in range(2):  # a clock tick across a boundary between the two calls: ask again
                before = datetime.now(timezone.utc)
                got = timezone_utils.get_budget_reset_time(budget_duration=d)
                if got == litellm_reset(d, before, tz):
                    break
            compared["entry"] += 1
            if got != litellm_reset(d, before, tz):
                fails.append(f"entry: get_budget_reset_time({d!r}) in {tz} = {iso(got)}, not get_next_standardized_reset_time's {iso(litellm_reset(d, before, tz))}")
    litellm.timezone = None
    if not hasattr(dp, "get_budget_window_start"):
        print(f"note: litellm {VERSION} has no get_budget_window_start: the window check is skipped")

    for f in fails[:60]:
        print(f"FAIL {f}")
    if len(fails) > 60:
        print(f"FAIL ... and {len(fails) - 60} more")
    for name, pred, reason in DOCUMENTED:
        if documented[name]:
            print(f"documented difference in {VERSION} ({documented[name]} cases): {name}: {reason}")
    checks = ", ".join(f"{c} {n}" for c, n in sorted(compared.items()))
    print(f"check_periods litellm {VERSION}: {'FAIL' if fails else 'ok'}: {len(rows)} grid points ({len(DURATIONS)} durations x {len(ZONES)} zones); comparisons: {checks}; {len(fails)} disagreements, {sum(documented.values())} documented")
    return 1 if fails else 0


def month_bounds(moment: datetime) -> list[datetime]:
    u = moment.astimezone(timezone.utc)
    first = u.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first + timedelta(days=32)).replace(day=1)
    return [first, following]


if __name__ == "__main__":
    sys.exit(main())
