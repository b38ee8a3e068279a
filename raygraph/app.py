"""`tf.app`: `run(main, argv)` parses flags with absl (unknown flags stay in argv, as in TF) and exits with
main's return value; `tf.app.flags` is `tf.flags`."""
import sys

from absl.app import run as _absl_run

from . import flags


def _parse_flags_tolerate_undef(argv):
    """absl's parse, keeping flags nobody defined in argv instead of failing on them."""
    return flags.FLAGS(sys.argv if argv is None else argv, known_only=True)


def run(main=None, argv=None):
    """Run `main(argv)` (default: `__main__.main`) after parsing flags; exit with its return value."""
    main = main or sys.modules["__main__"].main
    _absl_run(main=main, argv=argv, flags_parser=_parse_flags_tolerate_undef)
