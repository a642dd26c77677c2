from inset.cli import main

# Guarded: `inset serve --workers N` starts each worker by importing this module again.
if __name__ == "__main__":
    raise SystemExit(main())
