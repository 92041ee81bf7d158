"""Kizuna's entrypoint: `streamlit run dashboard.py`.

Each page under pages/ sets itself up (see ui/shell.py), so this file only
declares the navigation and runs the chosen page.
"""

from ui import shell

shell.navigation().run()
