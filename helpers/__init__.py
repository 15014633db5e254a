"""Helpers for the notebook collection on local policing and immigration enforcement.

The package holds every non-trivial piece of logic so that the notebooks stay short and narrative.
Data flows one way: ``data`` -> ``model`` -> ``decision`` -> ``report``, with ``legal`` beside the model.

Modules (each has its own docstring):

- ``paths``   where things live in the repository (no ``../../data`` strings in notebooks);
- ``errors``  the one error type raised on bad input (:class:`InputError`);
- ``data``    loading every table in ``data/`` with validation against its Table Schema;
- ``sources`` the sources registry (``data/sources.csv``) and citation strings;
- ``options`` the seven option archetypes and their lever settings;
- ``plots``   the house plotting style: palette, finding-first titles, REAL/ILLUSTRATIVE captions;
- ``tables``  the house table style: every cell in full and wrapped, in JupyterLab and on the site;
- ``series``  published national series, breaks in series, the reporting funnel;
- ``legal``   state regimes, lever status, option feasibility and legal risk;
- ``evidence`` published findings, validated and shaped for charts;
- ``model``   the trust-and-reporting model and its seeded, vectorized Monte Carlo;
- ``decision`` criteria, fictional stakeholder profiles, MCDA, robustness and sensitivity
  (with ``mcda``, ``robustness``, ``sensitivity``);
- ``config``  reading and checking a report config (YAML, safely loaded);
- ``report``  the "your municipality" report (``python -m helpers report CONFIG.yml --out DIR``);
- ``site``    builds the browsable site (``python -m helpers site``);
- ``exercises`` self-checks for the exercise notebooks;
- ``bench``   the model benchmarks (``python -m helpers bench``);
- ``runner``  executes notebooks in place (``make run``).
"""

from helpers.errors import InputError

__all__ = ["InputError"]
__version__ = "0.1.0"
