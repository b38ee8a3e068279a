"""The spin pool's watch (spin_pool.py): a compiled loop that reads a flag until it is set or its turns run out,
holding no GIL. Each turn an atomic load (acquire: what the setting thread wrote before is seen after it) and,
on x86, a pause instruction (the core's other work runs on meanwhile, and leaving the loop costs no misspeculation).
"""
import platform

import numba
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

_X86 = platform.machine().lower() in ("x86_64", "amd64", "i386", "i686")


@intrinsic
def _load_acquire(typingctx, flags, index):
    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        return builder.load_atomic(builder.gep(array.data, [args[1]]), "acquire", 4)
    return types.int32(flags, index), codegen


@intrinsic
def _pause(typingctx):
    def codegen(context, builder, signature, args):
        if _X86:   # (elsewhere the loop only loads)
            fnty = ir.FunctionType(ir.VoidType(), [])
            builder.call(builder.module.declare_intrinsic("llvm.x86.sse2.pause", fnty=fnty), [])
        return context.get_dummy_value()
    return types.void(), codegen


@numba.njit(nogil=True, cache=True)
def spin(flags, index, turns):
    """Whether int32 flags[index] became nonzero within `turns` turns."""
    for _ in range(turns):
        if _load_acquire(flags, index) != 0:
            return True
        _pause()
    return False
