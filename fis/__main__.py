import sys

from fis.cli import main

sys.exit(main())
