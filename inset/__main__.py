from inset.cli import main

raise SystemExit(main())
