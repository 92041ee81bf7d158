"""Kizuna's functional core: the data contract, loading, and analytics.

Pure functions over pandas DataFrames and networkx graphs, with no Streamlit
import, used alike by the app's pages, the command line
(``python -m analytics``) and the tests.
"""

from analytics.data.loader import Dataset, Problem, TableReport, load_dataset
from analytics.data.sources import DataFolderError

__all__ = ["DataFolderError", "Dataset", "Problem", "TableReport", "load_dataset"]
