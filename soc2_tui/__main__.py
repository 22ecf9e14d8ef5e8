from soc2_tui.cli import main

raise SystemExit(main())
