#!/usr/bin/env bash
# Wrapper kept for the scripts of the stack this gateway replaces.
exec "$(dirname "$0")/ai-gateway" start "$@"
