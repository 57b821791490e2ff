import sys

from zhitu.cli import main

sys.exit(main())
