"""One sitting: every single-machine workload on TensorFlow 1 and on raygraph, in rounds, and each row's ratios.

    python bench/sitting.py [--rounds 4] [--tf-python /path/to/tf-venv/bin/python] [--shared ../shared/bench]
                            [--own-blas] [--rows mlp_train parallel_branches ...]

Each round runs every workload (or the `--rows` named) on TF1, then on raygraph, the next round raygraph first
(so a machine slowing down or speeding up within a sitting favours neither side); each side in processes of its
own: the team's `workloads.py` for the rows it has, this directory's `workloads.py` for the others,
`elementwise.py` for the fused chain. `--own-blas` adds a third run per round, raygraph with OPENBLAS_CORETYPE
unset (where the environment pins numpy's OpenBLAS to older kernels than the CPU has). The machine is noisy:
compare ratios within a round, and read the range over rounds. Prints each run's figures as they come, then a
table: per workload TF1's and raygraph's ranges, the ratio per round and the median ratio. TensorFlow runs only
in the processes started with `--tf-python` (default $TF_PYTHON); raygraph never imports it.
"""
import argparse
import collections
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED_ROWS = ["step_overhead", "chain_100", "parallel_branches", "mlp_train", "cnn_train", "lstm_train",
               "embedding_train", "data_mlp_train"]
OWN_ROWS = ["cnn3x3_train", "gan_train", "queue_mlp_train", "while_10k", "parallel_iterations_4"]
ALL_ROWS = SHARED_ROWS + OWN_ROWS + ["elementwise_chain"]


def run(python, args, cwd, env):
    """{workload: seconds per unit} from one process's output lines (`name value unit`)."""
    out = subprocess.run([python, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("elementwise_chain") and line.endswith("ms/step"):
            figures["elementwise_chain"] = float(parts[-2]) / 1e3
        elif len(parts) == 3 and parts[0] in SHARED_ROWS + OWN_ROWS:
            figures[parts[0]] = float(parts[1])
    return figures


def one_side(which, python, shared, env, rows):
    figures = {}
    for names, cwd in (([r for r in SHARED_ROWS if r in rows], shared), ([r for r in OWN_ROWS if r in rows], HERE)):
        if names:
            figures.update(run(python, ["workloads.py", which, *names], cwd, env))
    if "elementwise_chain" in rows:
        mode = ["fused"] if which == "raygraph" else []
        figures.update(run(python, [os.path.join(HERE, "elementwise.py"), which, *mode], ROOT, env))
    return figures


def span(values, row):
    """min–max of `values` in the unit that suits the whole row (µs below 0.2 ms, else ms)."""
    scale, unit = (1e6, "µs") if max(row) < 2e-4 else (1e3, "ms")
    return f"{min(values) * scale:.3g}–{max(values) * scale:.3g} {unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--tf-python", default=os.environ.get("TF_PYTHON", ""))
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "bench"))
    parser.add_argument("--own-blas", action="store_true")
    parser.add_argument("--rows", nargs="+", choices=ALL_ROWS, default=ALL_ROWS)
    a = parser.parse_args()
    if not a.tf_python:
        sys.exit("a TensorFlow python is needed: --tf-python or $TF_PYTHON")
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="3")
    sides = {"tf": (a.tf_python, "tf", env), "raygraph": (sys.executable, "raygraph", env)}
    if a.own_blas:
        sides["raygraph, own BLAS"] = (sys.executable, "raygraph",
                                      {k: v for k, v in env.items() if k != "OPENBLAS_CORETYPE"})
    results = collections.defaultdict(dict)   # (side, workload) -> {round: seconds}
    for r in range(a.rounds):
        for side, (python, which, side_env) in list(sides.items())[::-1 if r % 2 else 1]:
            for name, value in one_side(which, python, a.shared, side_env, a.rows).items():
                results[side, name][r] = value
                print(f"R{r + 1} {side}: {name} {value:.6g}", flush=True)
    print("\n| workload | " + " | ".join(sides) + " | ratios per round | median ratio |")
    print("|---" * (len(sides) + 3) + "|")
    for name in a.rows:
        tf = results["tf", name]
        row = [v for side in sides for v in results[side, name].values()]
        cells = [span(list(results[side, name].values()), row) if results[side, name] else "-" for side in sides]
        ratios = {side: [results[side, name][r] / tf[r] for r in sorted(results[side, name]) if r in tf]
                  for side in sides if side != "tf"}
        each = " / ".join("; ".join(f"{x:.2f}" for x in xs) for xs in ratios.values())
        medians = " / ".join(f"{statistics.median(xs):.2f}" if xs else "-" for xs in ratios.values())
        print(f"| `{name}` | " + " | ".join(cells) + f" | {each} | {medians} |")


if __name__ == "__main__":
    main()
