"""`make bench`: run every benchmark script in bench/ in turn (not part of CI)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SCRIPTS = ["bench_evaluation.py", "bench_scales.py", "batch.py", "coverage.py", "placebo.py",
           "study_scale.py", "scale.py", "bench_survey_analysis.py", "hostile.py"]
# placebo: also the report's own RI statistic, so the lead method's rejection rate is measured
ARGS = {"placebo.py": ["--stacked"]}

status = 0
for name in SCRIPTS:
    path = HERE / name
    if not path.exists():
        print(f"== {name}: missing, skipped")
        continue
    print(f"== {name}", flush=True)
    status |= subprocess.run([sys.executable, str(path), *ARGS.get(name, [])]).returncode
sys.exit(status)
