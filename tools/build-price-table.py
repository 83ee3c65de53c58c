#!/usr/bin/env python3
"""Builds src/main/resources/pricing/model_prices.json from ../shared/data/model_prices.json.

Source: the LiteLLM price map (MIT License, Copyright (c) 2023 Berri AI), merged from two public
mirrors (2025-09 and 2026-07, newer wins); see ../shared/data/README.md. Only the fields the gateway
reads are kept, so the table loads fast at start-up; capability flags (FLAGS) only where true, since a
missing flag reads as false.
Usage: python3 tools/build-price-table.py [SOURCE] [TARGET]
"""
import json, sys

KEEP = ["litellm_provider", "mode", "max_input_tokens", "max_output_tokens", "max_tokens",
        "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
        "cache_creation_input_token_cost", "output_cost_per_reasoning_token",
        # non-token units: images (per image or pixel), audio (per second), speech (per character), rerank (per query)
        "input_cost_per_image", "output_cost_per_image", "input_cost_per_pixel", "output_cost_per_pixel",
        "input_cost_per_second", "output_cost_per_second", "input_cost_per_character", "input_cost_per_query"]
FLAGS = ["supports_reasoning"]

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/model_prices.json"
dst = sys.argv[2] if len(sys.argv) > 2 else "src/main/resources/pricing/model_prices.json"
data = json.load(open(src))
out = {}
for name, entry in sorted(data.items()):
    if not isinstance(entry, dict) or name == "sample_spec":
        continue
    slim = {k: entry[k] for k in KEEP if k in entry and isinstance(entry[k], (int, float, str))
            and not isinstance(entry[k], bool)}
    slim.update({k: True for k in FLAGS if entry.get(k) is True})
    if slim:
        out[name] = slim
with open(dst, "w") as f:
    json.dump(out, f, separators=(",", ":"), sort_keys=True)
print(f"{len(out)} models -> {dst}")
