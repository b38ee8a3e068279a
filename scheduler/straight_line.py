"""A partition compiled to one straight-line Python function: the in-order runner for the many small runs
of a loop's iterations (frames.py) and of a queue runner's repeated enqueue (device.py).

A partition's nodes are numbered producers first, so running them in that order needs no waiting counts.
`run_in_order` writes, once per partition, a function in which each slot is a local variable and each
node one line (kernels, attrs and nodes are the function's globals):

    def run(v, R):
        s0 = v[0]                      # fed and constant slots
        i = 0; s2 = K0(A0, s0, s1)     # i: the running node, to name it if its kernel raises
        i = 1
        if s2 is DEAD or d0:           # a node downstream of a switch: dead when an input (or a control) is
            s3 = DEAD; d1 = True
        else:
            s3 = K1(A1, R(N1), s2)     # a stateful kernel gets its resource binding
        del s2                         # a value is dropped after its last reader
        return [s3]

(a node whose outputs are kept from run to run, partition.Kept, is one line `s4 = K2.run(N2, (s3,))`),
so a node costs its kernel call and a store, not a pass through an interpreter loop (a while loop's trivial
iteration went from ~22 to ~8 µs of CPU here). A node that may write its output into an input's buffer
(`reuse`) is told which (attrs["into"]) where nothing else holds that input's value (`_donors`). Deadness is
TF1's: a node is dead if any data input is dead (a merge: all of them) or a control input's node was dead; dead
nodes do not run and their outputs are dead.
"""
from .executor import StepError
from .partition import MERGE
from .resources import DEAD, VariableRef


def run_in_order(part, feeds, res_for):
    """Runs a partition's nodes one after the other in this thread; returns the fetched values (variable refs
    read); raises StepError. What stateful kernels print goes to this thread's sink (resources.py)."""
    return compiled(part)(filled(part, feeds), res_for)


def filled(part, feeds):
    """The values a run of `part` starts from: its initial values with the fed slots filled."""
    values = part.initial_values.copy()
    slots = part.feeds
    for key, value in feeds.items():
        values[slots[key]] = value
    return values


def compiled(part):
    """The straight-line function of `part`, run(values, res_for) -> fetched values (values: a list per slot,
    the partition's initial values with the fed slots filled); compiled on first use."""
    run = part.compiled.run
    if run is None:
        run = part.compiled.run = compile_partition(part)
    return run


def compile_partition(part):
    """The straight-line function of `part` (see the module docstring)."""
    scope = {"DEAD": DEAD, "VR": VariableRef, "StepError": StepError}
    written, controls = set(), {c for node in part.nodes for c in node.controls}
    lines = [f"    d{c} = False" for c in sorted(controls)]
    body = []
    read = set()
    fetched_slots = set(part.fetches)
    last = {}  # slot -> the last node reading it: the value is dropped after that node, as the executor drops it
    for i, node in enumerate(part.nodes):
        for s in node.inputs:
            last[s] = i
    drops = {}
    for s, i in last.items():
        if s not in fetched_slots:
            drops.setdefault(i, []).append(f"s{s}")
    donors = _donors(part)
    for i, node in enumerate(part.nodes):
        if node.kernel is None:
            raise ValueError(f"{node.name}: a partition with receives cannot run in order")
        scope[f"K{i}"], scope[f"A{i}"], scope[f"N{i}"] = node.kernel, node.attrs, node
        if i in donors:
            scope[f"A{i}"] = {**node.attrs, "into": donors[i]}
        args = []
        for p, s in enumerate(node.inputs):
            if s not in written:
                read.add(s)
            args.append(f"(s{s}.read() if isinstance(s{s}, VR) else s{s})" if p in node.deref else f"s{s}")
        if node.stateful:
            args.insert(0, f"R(N{i})")
        call = f"K{i}(A{i}{''.join(', ' + a for a in args)})"
        if part.kept[i] is not None:
            scope[f"K{i}"] = part.kept[i]
            call = f"K{i}.run(N{i}, ({''.join(a + ', ' for a in args)}))"
        outs = [f"s{s}" for s in node.outputs]
        if not outs:
            run = [call]
        elif len(outs) == 1:
            run = [f"{outs[0]} = {call}"]
        else:
            run = [f"{', '.join(outs)} = {call}"]
        body.append(f"    i = {i}")
        if node.conditional:
            tests = [f"s{s} is DEAD" for s in node.inputs]
            test = " and ".join(tests) if node.role == MERGE and tests else " or ".join(tests)
            test = " or ".join(t for t in [f"({test})" if test else "", *(f"d{c}" for c in node.controls)] if t)
            if test:
                dead = [f"{o} = DEAD" for o in outs] + ([f"d{i} = True"] if i in controls else [])
                body.append(f"    if {test}:")
                body += [f"        {line}" for line in dead or ["pass"]]
                body.append("    else:")
                body += [f"        {line}" for line in run]
            else:
                body += [f"    {line}" for line in run]
        else:
            body += [f"    {line}" for line in run]
        if i in drops:
            body.append(f"    del {', '.join(sorted(set(drops[i])))}")
        written.update(node.outputs)
    fetched = []
    for p, s in enumerate(part.fetches):
        if s not in written:
            read.add(s)
        fetched.append(f"(s{s}.read() if isinstance(s{s}, VR) else s{s})" if p in part.fetch_deref else f"s{s}")
    source = ["def run(v, R):", *(f"    s{s} = v[{s}]" for s in sorted(read)), *lines, "    i = -1", "    try:",
              *("    " + line for line in body or ["    pass"]), "    except StepError:", "        raise",
              "    except Exception as e:  # noqa: BLE001", "        raise StepError(NAMES[i], e) from None",
              f"    return [{', '.join(fetched)}]"]
    scope["NAMES"] = [node.name for node in part.nodes]
    exec(compile("\n".join(source), f"<partition of {len(part.nodes)} nodes>", "exec"), scope)  # noqa: S102
    return scope["run"]


def _donors(part):
    """{node index: input position} for nodes that may write their output into an input's buffer (`reuse`, its
    kernel told by attrs["into"]): an input whose value a `fresh` node made (not one kept from run to run) and
    that no other node reads and nothing fetches or sends, so that nothing else holds it. In cnn_train's steps
    in-process (the convolutions' outputs taken by their bias + ReLU, MaxPoolGrad's by ReluGrad; blocks alternated)
    4.88 -> 4.67 and 4.72 -> 4.34 ms (21 of 22 blocks faster): fewer new arrays of a few MB each step."""
    made = {s: j for j, node in enumerate(part.nodes) for s in node.outputs}
    donors = {}
    for i, node in enumerate(part.nodes):
        if node.reuse:
            for p, s in enumerate(node.inputs):
                j = made.get(s)
                if j is not None and part.nodes[j].fresh and part.kept[j] is None and part.readers[s] == 1 \
                        and p not in node.deref:
                    donors[i] = p
                    break
    return donors
