"""`python -m scripts.schema [--write]`: check (or rewrite) the field tables in seeds/README.md."""
import sys

from .docs import README, sync

if __name__ == "__main__":
    write = "--write" in sys.argv[1:]
    current = sync(README, write=write)
    print("seeds/README.md: " + ("tables current" if current else "tables rewritten" if write else
                                "tables out of date — run python -m scripts.schema --write"))
    sys.exit(0 if current or write else 1)
