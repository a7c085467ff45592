#!/usr/bin/env python
from cityops.cli import main

if __name__ == "__main__":
    main()
