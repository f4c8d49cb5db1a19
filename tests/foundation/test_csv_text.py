"""io.to_csv_text / write_csv: the column-wise (Arrow) CSV writer gives pandas' text byte for byte.

The reference is the algorithm io.to_csv_text had before it was vectorised (every text cell through
``inert``, then ``DataFrame.to_csv``), kept here. Inputs are synthetic.
"""

import numpy as np
import pandas as pd
import pytest

from medvlm_graph import io


def reference_csv(df: pd.DataFrame, **kwargs) -> str:
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(io.inert, na_action="ignore")
    kwargs.setdefault("index", False)
    return out.to_csv(**kwargs)


PIECES = ["a", "b c", ",", '"', "\n", "\r", "\r\n", "\t", "=", "+", "-", "@", "'", "é", "漢", "\u2028", "\x85",
          "\x00", "\x1b", " ", "1", "e", "nan"]
EDGE_FLOATS = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-4, 9.999999999999999e-05, 1e-5, 1e-6, 1e-7, 1e16,
               9999999999999998.0, 1e15, 123456789012345.0, 0.1 + 0.2, 5e-324, 2.2250738585072014e-308,
               1.7976931348623157e308, -1.5, 100.0, 1e22, 1e100, 1e-100, 2.0 ** 53, 0.5, 1.5e-7, -3e-8, 2e-9,
               9.99e-10, 1e-10, 123.0, -7.0, 4503599627370497.0, 1e-320]


def random_text(rng) -> str:
    return "".join(rng.choice(PIECES, int(rng.integers(0, 4))))


def random_floats(rng, n: int) -> np.ndarray:
    kind = rng.integers(0, 4, n)
    scaled = rng.random(n) * 10.0 ** rng.integers(-330, 309, n)
    values = np.where(kind == 0, rng.random(n), np.where(kind == 1, rng.integers(-3, 3, n) * 1.0, scaled))
    pick = rng.random(n) < 0.25
    values[pick] = rng.choice(EDGE_FLOATS, int(pick.sum()))
    return values


def random_column(rng, kind: int, n: int) -> pd.Series:
    texts = [random_text(rng) if rng.random() > 0.2 else None for _ in range(n)]
    maybe = rng.random(n) > 0.3
    return [
        lambda: pd.Series(texts, dtype="str"),
        lambda: pd.Series(texts, dtype="string"),
        lambda: pd.Series(texts, dtype="string[python]"),
        lambda: pd.Series(np.array(texts, dtype=object), dtype=object),
        lambda: pd.Series(rng.integers(-10**15, 10**15, n)),
        lambda: pd.Series(rng.integers(0, 255, n).astype(np.uint8)),
        lambda: pd.Series(pd.array([int(x) if m else None for x, m in zip(rng.integers(-99, 99, n), maybe)],
                                   dtype="Int64")),
        lambda: pd.Series(random_floats(rng, n)),
        lambda: pd.Series(rng.random(n) > 0.5),
        lambda: pd.Series(pd.array([bool(x) if m else None for x, m in zip(rng.random(n) > 0.5, maybe)],
                                   dtype="boolean")),
        lambda: pd.Series((rng.random(n) * 1000).astype(np.float32)),
        lambda: pd.Series(pd.to_datetime(rng.integers(0, 10**9, n), unit="s")),
        lambda: pd.Series(pd.Categorical(texts)),
        lambda: pd.Series(pd.Categorical(rng.random(n) > 0.5)),
        lambda: pd.Series(pd.array(rng.integers(-5, 5, n), dtype="int64[pyarrow]")),
        lambda: pd.Series(pd.array(maybe, dtype="bool[pyarrow]")),
        lambda: pd.Series(pd.arrays.SparseArray(rng.integers(0, 2, n))),
    ][kind]()


FAST_KINDS = range(0, 3), range(4, 10)  # column kinds the Arrow writer formats itself


@pytest.mark.parametrize("seed", range(4))
def test_random_frames_are_written_as_pandas_writes_them(seed):
    rng = np.random.default_rng(seed)
    fast = 0
    for _ in range(150):
        n = int(rng.choice([0, 1, 2, 7, 60]))
        columns = {}
        for i in range(int(rng.integers(1, 5))):
            name = f"c{i}" if rng.random() > 0.15 else (random_text(rng) or "x") + str(i)
            columns[name] = random_column(rng, int(rng.integers(0, 17)), n)
        df = pd.DataFrame(columns)
        kwargs = rng.choice([{}, {"lineterminator": "\n"}, {"lineterminator": "\r\n"}])
        assert io.to_csv_text(df, **kwargs) == reference_csv(df, **kwargs), df.dtypes.tolist()
        fast += io._fast_csv_bytes(df, kwargs.get("lineterminator", "\n")) is not None
    assert fast >= 20  # the Arrow writer was tested, not only the pandas fallback


@pytest.mark.parametrize("kind", [*FAST_KINDS[0], *FAST_KINDS[1]])
def test_every_column_kind_of_the_arrow_writer_alone_and_with_another(kind):
    rng = np.random.default_rng(kind)
    for n in (0, 1, 3, 40):
        alone = pd.DataFrame({"only": random_column(rng, kind, n)})
        pair = pd.DataFrame({"a": random_column(rng, kind, n), "b": random_column(rng, 0, n)})
        for df in (alone, pair):
            assert io._fast_csv_bytes(df, "\n") is not None
            assert io.to_csv_text(df) == reference_csv(df)


def test_floats_are_written_with_numpy_repr_across_every_exponent():
    rng = np.random.default_rng(7)
    bits = rng.integers(0, 2**64, 100_000, dtype=np.uint64).view(np.float64)
    decimals = rng.integers(-10**6, 10**6, 100_000) * 10.0 ** rng.integers(-30, 30, 100_000)
    values = np.concatenate([bits, decimals, random_floats(rng, 100_000), EDGE_FLOATS])
    expected = values.astype(str).astype(object)
    expected[np.isnan(values)] = ""  # pandas writes NaN as its na_rep, ""
    got = io._float_cells(values).to_numpy(zero_copy_only=False).astype(object)
    assert (got == expected).all(), list(zip(values[got != expected][:5], got[got != expected][:5]))


def test_hostile_cells_exactly():
    df = pd.DataFrame({
        "title": pd.Series(["=HYPERLINK(\"http://x\")", "-1+1", "+1", "@SUM(A1)", "\tx", "\rx", 'say "hi", twice',
                            "two\nlines", "Ünïcödé 漢字", None], dtype="str"),
        "n": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
        "x": [0.5, np.nan, 1e-05, 2.0, -0.0, 1e16, 123.25, np.inf, 0.1 + 0.2, 3.0],
        "ok": [True, False] * 5,
    })
    assert io.to_csv_text(df) == (
        'title,n,x,ok\n'
        '"\'=HYPERLINK(""http://x"")",1,0.5,True\n'
        "'-1+1,,,False\n"
        "'+1,3,1e-05,True\n"
        "'@SUM(A1),4,2.0,False\n"
        "'\tx,5,-0.0,True\n"
        "'\rx,6,1e+16,False\n"
        '"say ""hi"", twice",7,123.25,True\n'
        '"two\nlines",8,inf,False\n'
        "Ünïcödé 漢字,9,0.30000000000000004,True\n"
        ",10,3.0,False\n")


def test_one_column_frames_and_empty_frames():
    assert io.to_csv_text(pd.DataFrame({"a": pd.Series(["", None, "x"], dtype="str")})) == 'a\n""\n""\nx\n'
    assert io.to_csv_text(pd.DataFrame({"a": [np.nan, 1.0]})) == 'a\n""\n1.0\n'
    assert io.to_csv_text(pd.DataFrame({"a": pd.Series([], dtype="str"), "b": []})) == "a,b\n"
    assert io.to_csv_text(pd.DataFrame()) == reference_csv(pd.DataFrame())
    assert io.to_csv_text(pd.DataFrame({"a": ["x"]}), lineterminator="\r\n") == "a\r\nx\r\n"


def test_columns_backed_by_several_arrow_chunks():
    df = pd.concat([pd.DataFrame({"t": pd.Series(["=a", "b"], dtype="str"), "n": pd.array([1, None], dtype="Int64")}),
                    pd.DataFrame({"t": pd.Series([None, "-c"], dtype="str"), "n": pd.array([3, 4], dtype="Int64")})],
                   ignore_index=True)
    assert io.to_csv_text(df) == reference_csv(df) == "t,n\n'=a,1\nb,\n,3\n'-c,4\n"


def test_write_csv_writes_the_text_as_utf8(tmp_path):
    df = pd.DataFrame({"t": pd.Series(["=1", "é"], dtype="str"), "v": [1.5, 2.0]})
    path = io.write_csv(df, tmp_path / "t.csv")
    assert path.read_bytes() == reference_csv(df).encode("utf-8")


@pytest.mark.parametrize("seed", range(4))
def test_written_block_by_block_as_in_one_block(seed, tmp_path, monkeypatch):
    # blocks of 3 rows: headers, quoting of a one-column blank row and every cell kind cross the seams
    rng = np.random.default_rng(seed)
    for n in (0, 1, 3, 4, 7, 60):
        columns = {f"c{i}": random_column(rng, int(rng.integers(0, 17)), n) for i in range(int(rng.integers(1, 4)))}
        df = pd.DataFrame(columns)
        whole = reference_csv(df, lineterminator="\n")
        monkeypatch.setattr(io, "CSV_BLOCK_ROWS", 3)
        chunks = list(io._csv_chunks(df, lineterminator="\n"))
        io.write_csv(df, tmp_path / "t.csv", lineterminator="\n")
        monkeypatch.undo()
        assert b"".join(chunks).decode("utf-8") == whole
        assert (tmp_path / "t.csv").read_bytes().decode("utf-8") == whole
        if io._fast_csv_bytes(df, "\n") is not None:
            assert len(chunks) == max(1, -(-n // 3))  # one chunk per block of 3 rows
