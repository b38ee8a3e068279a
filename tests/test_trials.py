"""Trials (scheduler/trials.py): the ways in turns of two runs, the first untimed (a way's first run, a switch),
until each has TRIES timed runs (CLEAR when they do not overlap), then the faster one (by its best run) kept; the
other way tried again after a gap that doubles while the choice holds, the first run of each retry untimed."""
from scheduler.trials import busy, CLEAR, FIRST_GAP, MAX_GAP, TRIES, Trial


def _settle(times):
    """Runs a trial on the given per-way times of its timed runs (an untimed run: 100.0); returns it and the
    ways it asked for."""
    trial, asked = Trial(), []
    runs = {False: iter(times[False]), True: iter(times[True])}
    while trial.choice is None:
        way = trial.way()
        asked.append(way)
        timed = trial.warm[way] and trial.last is way
        trial.ran(way, next(runs[way]) if timed else 100.0)
        assert timed or trial.seconds[way] == [] or trial.seconds[way][-1] != 100.0
    return trial, asked


def _run(trial, n, seconds):
    """Runs `n` steps the way the trial asks, each taking seconds[way]; returns the ways asked for."""
    asked = []
    for _ in range(n):
        asked.append(trial.way())
        trial.ran(asked[-1], seconds[asked[-1]])
    return asked


def test_each_way_is_timed_then_the_faster_is_kept():
    """Turns of two runs, the first untimed: each way's first, and each switch."""
    trial, asked = _settle({False: [5.0, 3.0, 6.0, 7.0], True: [4.0, 4.0, 4.0, 4.0]})
    assert asked == [False, False, True, True] * TRIES
    assert trial.choice is False and trial.way() is False   # 3.0 (its best) beats 4.0
    assert trial.seconds == ([5.0, 3.0, 6.0, 7.0], [4.0, 4.0, 4.0, 4.0])
    trial, _ = _settle({False: [5.0, 3.0, 3.0, 3.0], True: [9.0, 2.0, 9.0, 9.0]})
    assert trial.choice is True and trial.way() is True


def test_a_run_after_a_switch_is_not_timed():
    """A way's runs right after the other way's pay for the switch (OpenBLAS's worker woken, ...): they are not
    weighed, so a way slow only on switching is not judged by it."""
    trial = Trial()
    for way, seconds in [(False, 50.0), (False, 2.0), (True, 30.0), (True, 1.0), (False, 2.0), (False, 2.0)]:
        assert trial.way() is way
        trial.ran(way, seconds)
    assert trial.seconds == ([2.0, 2.0], [1.0]) and trial.way() is True
    trial.ran(True, 40.0)   # (a switch: not timed)
    trial.ran(True, 1.0)
    assert trial.seconds == ([2.0, 2.0], [1.0, 1.0]) and trial.choice is True   # apart after CLEAR runs each


def test_ways_far_apart_settle_after_their_first_clear_runs():
    """Every run of one way faster than every run of the other: no need for TRIES turns."""
    trial, asked = _settle({False: [30.0, 31.0], True: [24.0, 25.0]})
    assert asked == [False, False, True, True] * CLEAR and trial.choice is True
    trial, asked = _settle({False: [2.0, 2.5], True: [3.0, 2.6]})
    assert asked == [False, False, True, True] * CLEAR and trial.choice is False
    trial, asked = _settle({False: [2.0, 3.0, 2.0, 2.0], True: [2.5, 2.5, 2.5, 2.5]})   # overlapping: all turns
    assert asked == [False, False, True, True] * TRIES and trial.choice is False


def test_the_other_way_is_tried_again_less_often_while_the_choice_holds():
    trial, _ = _settle({False: [1.0] * TRIES, True: [2.0] * TRIES})
    asked = _run(trial, 3 * FIRST_GAP + 7, {False: 1.0, True: 2.0})
    # (each switch back to the choice is a run of it that is not timed, so not counted in its gap)
    assert asked == [False] * (FIRST_GAP + 1) + [True] * 2 + [False] * (2 * FIRST_GAP + 1) + [True] * 2 + [False]
    assert trial.choice is False and trial.gap == 4 * FIRST_GAP
    _run(trial, 10 * MAX_GAP, {False: 1.0, True: 2.0})
    assert trial.gap == MAX_GAP and trial.seconds[True] == [2.0]   # one timed run in each retry


def test_a_choice_made_while_warming_up_is_corrected():
    """Both ways slow at first, True more so; later True is faster: the trial comes round to it."""
    trial, _ = _settle({False: [3.0] * TRIES, True: [4.0] * TRIES})
    assert trial.choice is False
    asked = _run(trial, FIRST_GAP + 2 + 1 + TRIES, {False: 1.5, True: 1.0})
    assert asked[FIRST_GAP + 1:] == [True] * (1 + TRIES) + [True]   # an untimed run, then a competitive retry's TRIES
    assert trial.choice is True and trial.gap == FIRST_GAP and trial.runs == 1
    assert _run(trial, 4, {False: 1.5, True: 1.0}) == [True] * 4


def test_a_retrys_first_run_pays_for_the_switch_and_is_not_judged():
    """The other way's first run after a gap is slow (the switch), its next ones fast: the choice changes."""
    trial, _ = _settle({False: [3.0] * TRIES, True: [4.0] * TRIES})
    _run(trial, FIRST_GAP + 1, {False: 1.5, True: 1.0})
    assert trial.way() is True
    trial.ran(True, 2.5)   # slower than False's 1.5: judged, it would have kept False
    assert trial.choice is False and trial.way() is True
    assert _run(trial, TRIES, {False: 1.5, True: 1.0}) == [True] * TRIES
    assert trial.choice is True and trial.seconds[True] == [1.0] * TRIES


def test_a_retry_weighs_fresh_runs_against_the_choices_latest():
    """The other way's warm-up times are dropped; a noisy fresh run that is competitive but not faster over
    TRIES runs leaves the choice (and doubles the gap)."""
    trial, _ = _settle({False: [2.0] * TRIES, True: [9.0, 8.0, 7.0, 2.5]})
    assert trial.choice is False
    _run(trial, FIRST_GAP + 1, {False: 1.0, True: 1.5})
    before = list(trial.seconds[True])
    trial.ran(trial.way(), 5.0)   # the retry's first run pays for the switch: not timed
    assert not trial.retrying and trial.seconds[True] == before and trial.way() is True
    trial.ran(trial.way(), 0.9)   # its first timed run: competitive
    assert trial.retrying and trial.seconds[True] == [0.9]
    for _ in range(TRIES - 1):
        assert trial.way() is True
        trial.ran(True, 1.2)
    assert trial.choice is True and not trial.retrying   # its best, 0.9, beat False's 1.0
    trial, _ = _settle({False: [2.0] * TRIES, True: [9.0] * TRIES})
    _run(trial, FIRST_GAP + 1, {False: 1.0, True: 1.5})
    asked = _run(trial, 1 + TRIES, {False: 1.0, True: 1.0})   # as fast, not faster: the choice holds
    assert asked == [True] * (1 + TRIES) and trial.choice is False and trial.gap == 2 * FIRST_GAP


def test_runs_beyond_the_tries_of_a_way_are_not_kept_before_it_settles():
    trial = Trial()
    for _ in range(TRIES + 4):
        trial.ran(False, 1.0)
    assert trial.seconds == ([1.0] * TRIES, []) and trial.choice is None and trial.way() is True
    trial.ran(True, 5.0)   # True's first run: untimed
    assert trial.seconds == ([1.0] * TRIES, []) and trial.way() is True


def _busy(deps, costs, threads):
    dependents = [[j for j, ds in enumerate(deps) if i in ds] for i in range(len(deps))]
    return busy(deps, dependents, costs, threads)


def test_busy_is_the_share_of_the_threads_time_that_nodes_side_by_side_fill():
    assert _busy([(), ()], [1.0, 1.0], 2) == 1.0                   # two independent nodes on two threads
    assert _busy([(), (0,)], [1.0, 1.0], 2) == 0.5                 # a chain keeps one thread busy
    assert _busy([(), (), ()], [1.0, 1.0, 1.0], 2) == 0.75         # the third waits for a free thread
    assert _busy([(), (), (0, 1)], [1.0, 3.0, 2.0], 2) == 0.6      # the join waits for the slower: 6 / (2 x 5)
    assert _busy([(), (), (0,), (1,)], [2.0, 2.0, None, 2.0], 2) == 0.75   # not run: free
    assert _busy([(), ()], [None, None], 2) == 0.0
    assert _busy([()] * 8, [1.0] * 8, 4) == 1.0


def test_a_trial_is_skipped_where_the_costs_say_side_by_side_keeps_the_threads_busy():
    trial = Trial()
    trial.ran(trial.way(), 0.01)     # its first run, untimed: nothing is judged before a timed one
    trial.keep_if(lambda: True)
    assert trial.choice is None
    assert trial.way() is False
    trial.ran(False, 0.01)
    trial.keep_if(lambda: True)
    assert trial.choice is False
    assert set(_run(trial, 4 * MAX_GAP, {False: 2.0, True: 1.0})) == {False}   # never tried again


def test_a_trial_runs_where_the_costs_do_not_settle_it_asking_them_once():
    trial, asked, asks = Trial(), [], []
    for _ in range(2 * CLEAR + 4):
        asked.append(trial.way())
        trial.ran(asked[-1], {False: 2.0, True: 1.0}[asked[-1]])
        trial.keep_if(lambda: asks.append(len(asked)) or len(asks) > 1)   # (balanced only if asked again)
    assert True in asked and trial.choice is True
    assert asks == [2]   # after the first timed run side by side
