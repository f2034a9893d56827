"""Start JupyterLab on working copies of the chapters (``make lab``).

    python lab/start.py OUT [--force] [JupyterLab's options ...]

Makes or updates the copies in OUT (``lab/make_copies.py``), then runs JupyterLab there with
this project's defaults for its settings, ``lab/settings/overrides.json``: a notebook attaches
every cell to the page (``windowingMode: none``). JupyterLab's default attaches only the cells
near the screen, and jupyterlab-myst evaluates a Markdown cell's inline expressions (the
glued numbers) only in cells it has rendered, so Run All would leave the numbers of cells
further down unfilled. A reader's own settings still override these defaults.
"""

import os
import pathlib
import sys

import make_copies

SETTINGS = pathlib.Path(__file__).resolve().parent / "settings"


def _main(argv):
    copy_options = [argv[0], *(["--force"] if "--force" in argv[1:] else [])] if argv else []
    lab_options = [option for option in argv[1:] if option != "--force"]
    make_copies.main(copy_options)  # exits if the copies cannot be made
    out = pathlib.Path(argv[0]).resolve()
    command = [
        sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={out}",
        f"--LabApp.app_settings_dir={SETTINGS}", *lab_options,
    ]  # fmt: skip
    sys.stdout.flush()
    os.execv(sys.executable, command)


if __name__ == "__main__":
    _main(sys.argv[1:])
