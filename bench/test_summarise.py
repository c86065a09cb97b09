#!/usr/bin/env python3
"""summarise.py rejects a results file with failed requests; run by .ci/run.

usage: python3 bench/test_summarise.py
"""
import os
import subprocess
import sys
import tempfile
import unittest

SUMMARISE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "summarise.py")
HEADER = "run\tmode\tzoom\tencoding\tserver\trps\tlat_p50_ms\tlat_p99_ms\tnon2xx\tsock_errors\tbytes_per_req\tload1\n"


def row(run, server, rps, non2xx=0, sock_errors=0):
    return "%d\tuncached\t14\tidentity\t%s\t%s\t1.0\t2.0\t%d\t%d\t1000\t0.5\n" % (
        run, server, rps, non2xx, sock_errors)


def summarise(rows):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("# a comment line\n" + HEADER + "".join(rows))
    try:
        return subprocess.run([sys.executable, SUMMARISE, f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)


class Summarise(unittest.TestCase):
    def test_a_clean_file_is_summarised(self):
        out = summarise([row(1, "wijkwerk", 5000), row(1, "pand_wm", 400), row(1, "pand_rd", 300)])
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("| 14 | identity | 5000 | 400 | 300 | 12.5× |", out.stdout)
        self.assertNotIn("REJECTED", out.stdout)

    def test_runs_with_errors_are_rejected_and_not_counted(self):
        rows = [
            row(1, "wijkwerk", 5000), row(1, "pand_wm", 400), row(1, "pand_rd", 300),
            # Fast because it answered errors: must not raise the median of wijkwerk.
            row(2, "wijkwerk", 90000, non2xx=12),
            row(3, "wijkwerk", 80000, sock_errors=3),
        ]
        out = summarise(rows)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("REJECTED: 2 of 5 wrk runs", out.stdout)
        self.assertIn("run 2 uncached z14 identity wijkwerk: non2xx=12", out.stdout)
        self.assertIn("| 14 | identity | 5000 | 400 | 300 |", out.stdout)
        self.assertIn("rejected", out.stderr)


class ServerCpu(unittest.TestCase):
    def test_cpu_per_response_is_summarised_when_present(self):
        header = HEADER.rstrip("\n") + "\tcpu_us_per_req\n"
        rows = ["1\tuncached\t16\tgzip\t%s\t%s\t1.0\t2.0\t0\t0\t1000\t0.5\t%s\n" % r
                for r in (("wijkwerk", 9000, 150), ("pand_wm", 900, 3000), ("pand_rd", 450, 6000))]
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            f.write(header + "".join(rows))
        try:
            out = subprocess.run([sys.executable, SUMMARISE, f.name], capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("| uncached | 16 | gzip | 150 | 3000 | 6000 | 20.0× |", out.stdout)

    def test_files_without_the_column_have_no_cpu_table(self):
        out = summarise([row(1, "wijkwerk", 5000), row(1, "pand_wm", 400), row(1, "pand_rd", 300)])
        self.assertNotIn("Server CPU", out.stdout)


if __name__ == "__main__":
    unittest.main()
