"""Compile the .po catalogues to .mo with polib (no GNU gettext needed at build time)."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "xiaoneng"


def main() -> None:
    count = 0
    for po_path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    print(f"compiled {count} message catalogues")


if __name__ == "__main__":
    main()
