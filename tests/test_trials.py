"""Trials (scheduler/trials.py): each way timed TRIES runs, then the faster one (by its best run) kept."""
from scheduler.trials import TRIES, Trial


def _settle(times):
    """Runs a trial on the given per-way times; returns it and the ways it asked for."""
    trial, asked = Trial(), []
    assert trial.way() is False
    trial.ran(False, 100.0)   # the first run is not timed
    runs = {False: iter(times[False]), True: iter(times[True])}
    while trial.choice is None:
        way = trial.way()
        asked.append(way)
        trial.ran(way, next(runs[way]))
    return trial, asked


def test_each_way_is_timed_then_the_faster_is_kept():
    trial, asked = _settle({False: [5.0, 3.0, 6.0], True: [4.0, 4.0, 4.0]})
    assert asked == [True, False] * TRIES                   # the ways take turns
    assert trial.choice is False and trial.way() is False   # 3.0 (its best) beats 4.0
    assert trial.seconds == ([5.0, 3.0, 6.0], [4.0, 4.0, 4.0])
    trial, _ = _settle({False: [5.0, 3.0, 3.0], True: [9.0, 2.0, 9.0]})
    assert trial.choice is True and trial.way() is True


def test_a_settled_trial_times_no_more():
    trial, _ = _settle({False: [1.0] * TRIES, True: [2.0] * TRIES})
    trial.ran(True, 0.1)
    assert trial.choice is False and trial.seconds == ([1.0] * TRIES, [2.0] * TRIES)


def test_runs_beyond_the_tries_of_a_way_are_not_kept():
    trial = Trial()
    for _ in range(TRIES + 3):
        trial.ran(False, 1.0)
    assert trial.seconds == ([1.0] * TRIES, []) and trial.choice is None and trial.way() is True
