"""The guide's pictures, taken from the product itself: each a screenshot the browser tests write into
test-output/e2e, copied into docs/img under a stable name. `python -m docs.images` copies them after an
e2e run; tests/test_docs.py fails when a page embeds a picture not listed here, or one whose screenshot
no browser test takes any more."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).parents[1]
SHOTS = ROOT / "test-output" / "e2e"
FOLDER = Path(__file__).parent / "img"

PICTURES: dict[str, str] = {  # the guide's name: the browser test's screenshot
    "seller-home.png": "every-1-seller-home",
    "seller-validate.png": "every-4-validated",
    "buyer-page-on-a-phone.png": "every-3-buyer-page-390",
    "buyer-email-as-received.png": "every-6-an-email-as-received",
    "manager-pipeline.png": "pipeline-1-manager-card",
    "manager-crm-preview.png": "crm-1-preview",
    "deployer-privacy-page.png": "every-7-privacy-page",
    "how-trust-in-the-grid.png": "17-not-counted-and-verified",
}

# A whole page that runs on far below the fold is cut to its top, which is what the guide is showing.
TALLEST: dict[str, int] = {"buyer-page-on-a-phone.png": 1300}  # the guide's name: the most px high


def copy(shots: Path = SHOTS) -> list[Path]:
    """Copy each picture from the latest e2e run's screenshots: the files written."""
    missing = [shot for shot in PICTURES.values() if not (shots / f"{shot}.png").is_file()]
    if missing:
        said = ", ".join(missing)
        raise SystemExit(f"run the browser tests first (pytest tests/e2e): no {said} in {shots}")
    FOLDER.mkdir(exist_ok=True)
    written = []
    for name, shot in PICTURES.items():
        source, target = shots / f"{shot}.png", FOLDER / name
        if name in TALLEST:
            with Image.open(source) as whole:
                whole.crop((0, 0, whole.width, min(whole.height, TALLEST[name]))).save(target, optimize=True)
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in copy():
        print(path)
