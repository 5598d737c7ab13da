"""Layer 1: every request body keyward sends must be one the installed LiteLLM accepts, field for field.

Run with the Python of a venv that holds litellm (test/litellm/venv.sh VERSION):
    python check_bodies.py BODIES.jsonl
BODIES.jsonl has one {"case", "method", "path", "body"} per line (test/litellm/layer1/capture.ts, or the
test server's KEYWARD_CAPTURE_BODIES opt-in). Each body is validated with the pydantic model the endpoint
declares (GenerateKeyRequest, UpdateKeyRequest, KeyRequest, BlockKeyRequest, RegenerateKeyRequest), and:
  - a field the model does not declare is an error: LiteLLM's models ignore extra fields silently
    (model_config has no extra='forbid'), so keyward would believe it set something that was dropped;
  - a value the model changes on the way in (coercion) is an error;
  - budget_duration goes through LiteLLM's own write-time check (validate_budget_duration) where the
    version has it, and in every version must be a duration whose reset is not the silent next-midnight
    fallback of get_next_standardized_reset_time; duration and grace_period must parse with
    duration_in_seconds to more than zero; key_alias goes through _validate_key_alias_format where present;
    custom secrets must start with sk- (the endpoints refuse anything else).
Exits 1 on any error (printed one per line), 0 otherwise; the last line is a one-line summary.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import sys
from datetime import datetime, timezone

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from litellm.litellm_core_utils import duration_parser as dp  # noqa: E402
from litellm.proxy import _types as types  # noqa: E402

VERSION = importlib.metadata.version("litellm")

MODELS = {
    "/key/generate": "GenerateKeyRequest",
    "/key/update": "UpdateKeyRequest",
    "/key/delete": "KeyRequest",
    "/key/block": "BlockKeyRequest",
    "/key/unblock": "BlockKeyRequest",
    "/key/{key}/regenerate": "RegenerateKeyRequest",
}

# Documented version differences: fields keyward sends that some releases do not declare (and so drop
# silently), with what keyward does about it. Reported, not failed. Anything else undeclared fails.
ALLOWED_EXTRA: dict[tuple[str, str], str] = {
    ("UpdateKeyRequest", "soft_budget"): (
        "UpdateKeyRequest has no soft_budget before about 1.104 (1.100.5 lacks it, 1.104.9 has it): "
        "keys update reads the key back and warns that the proxy did not apply --soft-budget"
    ),
}


def model_for(path: str):
    if re.fullmatch(r"/key/[^/]+/regenerate", path):
        path = "/key/{key}/regenerate"
    name = MODELS.get(path)
    return (name, getattr(types, name, None)) if name else (None, None)


def declared(model) -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        names.add(name)
        if field.alias:
            names.add(field.alias)
    return names


def optional_attr(module_name: str, attr: str):
    try:
        module = __import__(module_name, fromlist=[attr])
    except Exception:  # noqa: BLE001 - an older release simply lacks the module
        return None
    return getattr(module, attr, None)


validate_budget_duration = optional_attr("litellm.proxy.management_endpoints.common_utils", "validate_budget_duration")
validate_key_alias_format = optional_attr("litellm.proxy.management_endpoints.key_management_endpoints", "_validate_key_alias_format")
normalize = getattr(dp, "_normalize_duration", lambda d: d)
RESET_UNITS = {"s", "m", "h", "d", "w", "mo"}
DOCUMENTED: set[str] = set()


def duration_errors(field: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"{field} {value!r} is not a string"]
    try:
        seconds = dp.duration_in_seconds(value)
    except (ValueError, OverflowError) as e:
        return [f"{field} {value!r}: duration_in_seconds raises {e}"]
    if seconds <= 0:
        return [f"{field} {value!r} lasts {seconds} s"]
    return []


def budget_duration_errors(value) -> list[str]:
    errors = duration_errors("budget_duration", value)
    if value is None or errors:
        return errors
    if validate_budget_duration is not None:
        try:
            validate_budget_duration(value)
        except Exception as e:  # noqa: BLE001 - HTTPException carries the proxy's answer
            return [f"budget_duration {value!r}: validate_budget_duration refuses it: {getattr(e, 'detail', e)}"]
    parsed_value, unit = dp._parse_duration(normalize(value))
    if parsed_value is None or unit not in RESET_UNITS:
        return [f"budget_duration {value!r}: get_next_standardized_reset_time does not know it and resets at the next midnight"]
    try:
        dp.get_next_standardized_reset_time(value, datetime.now(timezone.utc), "UTC")
    except Exception as e:  # noqa: BLE001
        return [f"budget_duration {value!r}: get_next_standardized_reset_time raises {e}"]
    return []


def check(line_no: int, record: dict) -> list[str]:
    where = f"line {line_no} ({record.get('case', '?')}: {record.get('method')} {record.get('path')})"
    path, body = record.get("path", ""), record.get("body")
    name, model = model_for(path)
    if name is None:
        return [f"{where}: keyward POSTs to an endpoint this check has no model for"]
    if model is None:
        return [f"{where}: litellm {VERSION} has no {name}"]
    if not isinstance(body, dict):
        return [f"{where}: body is not a JSON object"]
    errors = []
    try:
        parsed = model.model_validate(body)
    except Exception as e:  # noqa: BLE001 - pydantic ValidationError
        return [f"{where}: {name} rejects the body: {e}".replace("\n", " | ")]
    known = declared(model)
    for field in sorted(set(body) - known):
        if (name, field) in ALLOWED_EXTRA:
            DOCUMENTED.add(f"{name}.{field}: {ALLOWED_EXTRA[(name, field)]}")
        else:
            errors.append(f"{where}: {name} has no field {field!r}: LiteLLM {VERSION} ignores it silently")
    dumped = parsed.model_dump(exclude_unset=True)
    for field, sent in body.items():
        if field in known and field in dumped and dumped[field] != sent:
            errors.append(f"{where}: {name}.{field}: sent {sent!r}, LiteLLM reads {dumped[field]!r}")
    errors += [f"{where}: {e}" for e in budget_duration_errors(body.get("budget_duration"))]
    errors += [f"{where}: {e}" for e in duration_errors("duration", body.get("duration"))]
    errors += [f"{where}: {e}" for e in duration_errors("grace_period", body.get("grace_period"))]
    for field in ("key", "new_key"):
        value = body.get(field)
        custom_secret = (name == "GenerateKeyRequest" and field == "key") or field == "new_key"
        if custom_secret and value is not None and not (isinstance(value, str) and value.startswith("sk-")):
            errors.append(f"{where}: {field} must start with 'sk-'")
    if "key_alias" in body and validate_key_alias_format is not None:
        try:
            validate_key_alias_format(body["key_alias"])
        except Exception as e:  # noqa: BLE001 - ProxyException
            errors.append(f"{where}: _validate_key_alias_format refuses {body['key_alias']!r}: {getattr(e, 'message', e)}")
    return errors


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: check_bodies.py BODIES.jsonl", file=sys.stderr)
        return 2
    errors: list[str] = []
    counts: dict[str, int] = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            name, _ = model_for(record.get("path", ""))
            counts[name or record.get("path", "?")] = counts.get(name or record.get("path", "?"), 0) + 1
            errors += check(n, record)
    for e in errors:
        print(f"FAIL {e}")
    for d in sorted(DOCUMENTED):
        print(f"documented difference in {VERSION}: {d}")
    custom = optional_attr("litellm.proxy.management_endpoints.key_management_endpoints", "_check_custom_key_allowed")
    if custom is not None and counts.get("GenerateKeyRequest"):
        print(
            f"note: litellm {VERSION} refuses client-chosen secrets (key, new_key) with 403 when general_settings."
            "disable_custom_api_keys is true; keyward always sends its own, so keys create/rotate fail on such proxies"
        )
    total = sum(counts.values())
    if total == 0:
        print(f"check_bodies litellm {VERSION}: FAIL no bodies in {sys.argv[1]}")
        return 1
    shape = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    extras = "extra=" + str(types.GenerateKeyRequest.model_config.get("extra", "ignore (pydantic default)"))
    checks = "validate_budget_duration" if validate_budget_duration else "no write-time budget_duration check in this version"
    print(f"check_bodies litellm {VERSION}: {'FAIL' if errors else 'ok'}: {total} bodies ({shape}); {len(errors)} errors; {extras}; {checks}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
