"""Instructor-only data of the convolutional-layer exercise: hidden cases and known mistakes."""

from __future__ import annotations

from functools import partial

import numpy as np

from grader.engine.compare import All, GradCheck, MatchReference
from grader.engine.suite import Case, Instructor, Mistake
from grader.suites.conv import TOL, Shape, backward_calls, gradcheck_calls

HIDDEN = [
    Case("hidden_pad2_stride2", 2, backward_calls(Shape(1, 1, 6, 6, 2, 3, 3, stride=2, pad=2)),
         MatchReference(TOL), seed=101, visibility="hidden",
         description="C=1, pad 2, stride 2: forward and backward"),
    Case("hidden_nonsquare_backward", 2, backward_calls(Shape(3, 2, 5, 6, 3, 2, 3, stride=2, pad=0)),
         MatchReference(TOL), seed=102, visibility="hidden",
         description="N=3, 5x6 input, 2x3 filters, stride 2 that does not tile the input, pad 0"),
    Case("hidden_gradcheck_pad2", 2, gradcheck_calls(Shape(2, 1, 4, 5, 2, 3, 2, stride=1, pad=2), 3),
         All((GradCheck(), MatchReference(TOL))), seed=103, visibility="hidden",
         description="numerical gradient check with pad 2 and 3x2 filters"),
    # (7 - 2)/3 = 1.67 and (9 + 2 - 3)/3 = 2.67: floor and round() differ on both axes.
    Case("hidden_sizes_floor", 1, backward_calls(Shape(2, 2, 7, 9, 2, 2, 3, stride=3, pad=1)),
         MatchReference(TOL), seed=105, visibility="hidden",
         description="stride 3 that leaves 2/3 of a window over on both axes: the size floors"),
    Case("hidden_1x1", 1, backward_calls(Shape(2, 3, 3, 3, 2, 1, 1)), MatchReference(TOL), seed=104,
         visibility="hidden", description="1x1 filters: a linear map of the channels at each pixel"),
]


# Variants are self-contained (no call to a contract name): grader.engine.variants writes them out
# after the reference as a real submission, where the contract names are rebound to them.
def _forward(x, w, b, stride, pad):  # type: ignore[no-untyped-def]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    HH, WW = w.shape[2:]
    H_out, W_out = 1 + (xp.shape[2] - HH) // stride, 1 + (xp.shape[3] - WW) // stride
    out = np.zeros((x.shape[0], w.shape[0], H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def _backward(dout, x, w, stride, pad, add=True):  # type: ignore[no-untyped-def]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
    HH, WW = w.shape[2:]
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
            dw += np.tensordot(dout[:, :, i, j], xp[:, :, rows, cols], axes=([0], [0]))
            dwin = np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
            if add:
                dxp[:, :, rows, cols] += dwin
            else:  # the mistake: where windows overlap, the last one wins
                dxp[:, :, rows, cols] = dwin
    dx = dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    return dx, dw, np.sum(dout, axis=(0, 2, 3))


def _flip_forward(x, w, b, conv_param):  # type: ignore[no-untyped-def]
    flipped = w[:, :, ::-1, ::-1]  # a true convolution
    return _forward(x, flipped, b, conv_param["stride"], conv_param["pad"]), (x, w, b, conv_param)


def _flip_backward(dout, cache):  # type: ignore[no-untyped-def]
    x, w, _, p = cache
    dx, dw, db = _backward(dout, x, w[:, :, ::-1, ::-1], p["stride"], p["pad"])
    return dx, dw[:, :, ::-1, ::-1], db


def _nopad_forward(x, w, b, conv_param):  # type: ignore[no-untyped-def]
    unpadded = {**conv_param, "pad": 0}
    return _forward(x, w, b, conv_param["stride"], 0), (x, w, b, unpadded)


def _outpad_forward(x, w, b, conv_param):  # type: ignore[no-untyped-def]
    p = conv_param["pad"]
    out = _forward(x, w, b, conv_param["stride"], 0)  # then zeros around the output
    return np.pad(out, ((0, 0), (0, 0), (p, p), (p, p))), (x, w, b, conv_param)


def _outpad_backward(dout, cache):  # type: ignore[no-untyped-def]
    x, w, _, conv_param = cache
    p = conv_param["pad"]
    inner = dout[:, :, p:dout.shape[2] - p, p:dout.shape[3] - p]
    return _backward(inner, x, w, conv_param["stride"], 0)


def _bias_once_forward(x, w, b, conv_param):  # type: ignore[no-untyped-def]
    out = _forward(x, w, np.zeros_like(b), conv_param["stride"], conv_param["pad"])
    out[:, :, -1, -1] += b  # added after the loops: only the last position gets it
    return out, (x, w, b, conv_param)


def _bias_once_backward(dout, cache):  # type: ignore[no-untyped-def]
    x, w, _, p = cache
    dx, dw, _ = _backward(dout, x, w, p["stride"], p["pad"])
    return dx, dw, np.sum(dout[:, :, -1, -1], axis=0)


def _db_last_image(dout, cache):  # type: ignore[no-untyped-def]
    x, w, _, p = cache
    dx, dw, _ = _backward(dout, x, w, p["stride"], p["pad"])
    return dx, dw, np.sum(dout[-1], axis=(1, 2))  # db assigned per image, not accumulated


def _dx_overwrite(dout, cache):  # type: ignore[no-untyped-def]
    x, w, _, p = cache
    return _backward(dout, x, w, p["stride"], p["pad"], add=False)


NOTES = "the notes' feature-map size formula (W + 2P - F)/S + 1"
MISTAKES = [
    Mistake("flipped_kernel", "The filter is flipped: this computes a true convolution",
            "Slide w[f] over the image as it is, no w[:, :, ::-1, ::-1]: the notes' first output "
            "is 1*1 + 0*(-1) + 1*1 + 1*(-1), window times filter element by element.",
            {"conv_forward_naive": _flip_forward, "conv_backward_naive": _flip_backward}),
    Mistake("padding_missing", "The zero padding is never applied",
            f"Pad the input with np.pad(x, ((0, 0), (0, 0), (P, P), (P, P))) before sliding; "
            f"{NOTES} counts 2P extra rows and columns.",
            {"conv_forward_naive": _nopad_forward}),
    Mistake("padding_on_output", "The padding is added around the output instead of the input",
            f"Pad x, then slide the filter over the padded input: the border outputs see zeros "
            f"and real pixels, they are not zero themselves ({NOTES}).",
            {"conv_forward_naive": _outpad_forward, "conv_backward_naive": _outpad_backward}),
    Mistake("bias_once_per_image", "The bias is added once per image instead of at every position",
            "out[n, f, i, j] = sum(window * w[f]) + b[f] for every i, j: add b[f] inside the "
            "loop over positions, and let db[f] sum dout over n, i and j.",
            {"conv_forward_naive": _bias_once_forward, "conv_backward_naive": _bias_once_backward}),
    Mistake("db_not_summed_over_n", "db holds only one image's gradient: it is not summed over N",
            "The bias is shared by every image of the batch: db = dout.sum(axis=(0, 2, 3)); "
            "accumulate with += across images instead of assigning.",
            {"conv_backward_naive": _db_last_image}),
    Mistake("dx_overwritten", "Overlapping windows overwrite dx instead of adding up",
            "A pixel inside several windows receives gradient from each of them: "
            "dx_pad[..., window] += dout[n, f, i, j] * w[f], with +=.",
            {"conv_backward_naive": _dx_overwrite}),
]


# Mistakes students make (issue 13), written the way students write the naive loops.

def _loops_forward(x, w, b, conv_param, *, step=None, pad_all=False, swap_hw=False,  # type: ignore[no-untyped-def]
                   size="floor"):
    """The naive loops with one mistake: ``step`` of the window (stride ignored), padding on
    every axis, filter height and width read swapped, or the output size by ``size``."""
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, _, H, W = x.shape
    F = w.shape[0]
    HH, WW = (w.shape[3], w.shape[2]) if swap_hw else (w.shape[2], w.shape[3])
    def rnd(a, s):  # type: ignore[no-untyped-def]
        return round(a / s) if size == "round" else a // s  # round(): banker's rounding

    H_out, W_out = 1 + rnd(H + 2 * pad - HH, stride), 1 + rnd(W + 2 * pad - WW, stride)
    x_pad = np.pad(x, pad) if pad_all else np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    move = stride if step is None else step
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    hs, ws = i * move, j * move
                    out[n, f, i, j] = np.sum(x_pad[n, :, hs:hs + HH, ws:ws + WW] * w[f]) + b[f]
    return out, (x, w, b, conv_param)


def _loops_backward(dout, cache, *, step=None, reset_dw=False, crop=True):  # type: ignore[no-untyped-def]
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, _, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad, dw, db = np.zeros(x_pad.shape), np.zeros(w.shape), np.zeros(b.shape)
    move = stride if step is None else step
    for n in range(N):
        if reset_dw:
            dw = np.zeros(w.shape)
        for f in range(F):
            db[f] += np.sum(dout[n, f])
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    hs, ws = i * move, j * move
                    dw[f] += x_pad[n, :, hs:hs + HH, ws:ws + WW] * dout[n, f, i, j]
                    dx_pad[n, :, hs:hs + HH, ws:ws + WW] += w[f] * dout[n, f, i, j]
    return (dx_pad[:, :, pad:pad + H, pad:pad + W] if crop else dx_pad), dw, db



MISTAKES += [
    Mistake("stride_ignored_in_window", "The window moves by 1: the stride is left out of the slice",
            f"The output size uses the stride, so must the window: rows i*S : i*S + HH and columns "
            f"j*S : j*S + WW ({NOTES}).",
            {"conv_forward_naive": partial(_loops_forward, step=1),
             "conv_backward_naive": partial(_loops_backward, step=1)}),
    Mistake("dw_reset_per_image", "dw is reset for every image: only the last image's gradient is kept",
            "The filters are shared by the whole batch: create dw = np.zeros_like(w) once, before the "
            "loop over images, and add every image's contribution with +=.",
            {"conv_backward_naive": partial(_loops_backward, reset_dw=True)}),
    Mistake("padding_all_axes", "np.pad(x, pad) pads every axis, the batch and channel axes too",
            "Pad only the two spatial axes: np.pad(x, ((0, 0), (0, 0), (P, P), (P, P))); with "
            "np.pad(x, P) the channels grow from C to C + 2P and no longer match the filters.",
            {"conv_forward_naive": partial(_loops_forward, pad_all=True)}),
    Mistake("filter_hw_swapped", "The filter's height and width are read in the wrong order",
            "w has shape (F, C, HH, WW): F, C, HH, WW = w.shape. Square filters hide the swap; "
            "a 3x2 filter does not.",
            {"conv_forward_naive": partial(_loops_forward, swap_hw=True)}),
    Mistake("dx_keeps_padding", "dx is returned with its padding: shape (N, C, H + 2P, W + 2P)",
            "Compute the gradient on the padded input, then cut the padding off: "
            "dx = dx_pad[:, :, P:P + H, P:P + W] has the shape of x.",
            {"conv_backward_naive": partial(_loops_backward, crop=False)}),
    Mistake("output_size_rounded", "The output size is rounded instead of floored",
            f"{NOTES} floors when the filter does not fit a whole number of times: use integer "
            "division, 1 + (H + 2P - HH) // S; round() counts a window that does not fit.",
            {"conv_forward_naive": partial(_loops_forward, size="round")}),
]




# The expected outputs come from these vectorised equivalents of the naive reference
# (tests/test_fast_reference.py checks they agree on every case): the four nested loops
# cost ~20 ms per call, a tenth of a whole class's reference time on its own.
def _padded(x: np.ndarray, pad: int) -> np.ndarray:
    """``np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))`` without np.pad's generality.

    The same array (dtype, memory order, zeros), in half the time of a call on a case's inputs.
    """
    x = np.asarray(x)
    n, c, height, width = x.shape
    out = np.zeros((n, c, height + 2 * pad, width + 2 * pad), dtype=x.dtype,
                   order="F" if x.flags.fnc else "C")  # as np.pad orders it
    out[:, :, pad:pad + height, pad:pad + width] = x
    return out


def conv_forward_naive(x: np.ndarray, w: np.ndarray, b: np.ndarray, conv_param: dict[str, int]
                       ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]]:
    """``solutions.conv.conv_forward_naive`` with every window at once (no loops)."""
    stride, pad = conv_param["stride"], conv_param["pad"]
    hh, ww = w.shape[2:]
    x_pad = _padded(x, pad)
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]
    return out.astype(np.float64), (x, w, b, conv_param)


def conv_backward_naive(dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``solutions.conv.conv_backward_naive`` with every window at once (loops over the filter only)."""
    x, w, _, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    height, width = x.shape[2:]
    hh, ww = w.shape[2:]
    h_out, w_out = dout.shape[2:]
    x_pad = _padded(x, pad)
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nfhw,nchwij->fcij", dout, windows).astype(np.float64)
    db = np.sum(dout, axis=(0, 2, 3))
    spread = np.einsum("nfhw,fcij->nchwij", dout, w)
    dx_pad = np.zeros(x_pad.shape)
    for i in range(hh):
        for j in range(ww):
            dx_pad[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride] += spread[..., i, j]
    return dx_pad[:, :, pad:pad + height, pad:pad + width], dw, db


INSTRUCTOR = Instructor(hidden=tuple(HIDDEN), mistakes=tuple(MISTAKES),
                        fast=(conv_forward_naive, conv_backward_naive))
