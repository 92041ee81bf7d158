"""The framework's floor for the benchmark: a page with one element."""

import streamlit as st

st.title("Blank")
