"""`course-cnn diagnose` through course_cnn.cli.main."""

from course_cnn.cli import main


def test_diagnose_command_prints_the_verdict(capsys, tmp_path):
    png = tmp_path / "ladder.png"
    code = main(["diagnose", "--human", "0.5", "--train", "8.8", "--train-dev", "9.1", "--dev", "14.3",
                 "--test", "14.8", "--plot", str(png)])
    out = capsys.readouterr().out
    assert code == 0
    # bias 8.8 - 0.5 = 8.3, variance 0.3, mismatch 14.3 - 9.1 = 5.2, dev overfitting 0.5
    assert "avoidable bias" in out and "8.3%" in out and "5.2%" in out
    assert "verdict: avoidable bias and data mismatch" in out
    assert "train a bigger model" in out
    assert png.stat().st_size > 1000


def test_diagnose_command_fractions_and_errors(capsys):
    assert main(["diagnose", "--human", "0", "--train", "0.01", "--train-dev", "0.09", "--dev", "0.1",
                 "--fraction"]) == 0
    assert "verdict: variance" in capsys.readouterr().out
    assert main(["diagnose", "--human", "0", "--train", "10", "--dev", "20", "--fraction"]) == 2
    assert capsys.readouterr().err == (
        "course-cnn diagnose: error: `--train` must be an error rate in [0, 1] (a fraction, --fraction); got 10.0 "
        "(is it a percentage? drop --fraction).\n")
    assert main(["diagnose", "--human", "0", "--train", "-1", "--dev", "10"]) == 2
    assert capsys.readouterr().err == (
        "course-cnn diagnose: error: `--train` must be an error rate in [0, 100] (percent, without --fraction); "
        "got -1.0.\n")


def test_diagnose_warns_when_fractions_are_read_as_percent(capsys):
    assert main(["diagnose", "--human", "0", "--train", "0.01", "--train-dev", "0.09", "--dev", "0.1"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "course-cnn diagnose: warning: every error is below 1 and read as percent (0.01 means 0.01 %); "
        "if they are fractions (0.01 = 1 %), add --fraction\n")
    assert "\x1b" not in captured.out + captured.err       # no colour codes off a terminal
    assert main(["diagnose", "--human", "0.5", "--train", "1", "--dev", "3"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["diagnose", "--human", "0", "--train", "0", "--dev", "0"]) == 0     # all zero: nothing to say
    assert capsys.readouterr().err == ""


def test_diagnose_command_without_train_dev(capsys):
    assert main(["diagnose", "--human", "0", "--train", "1", "--dev", "10"]) == 0
    out = capsys.readouterr().out
    assert "variance or data mismatch" in out and "train-dev" in out


def test_diagnose_command_does_not_import_tensorflow():
    import subprocess
    import sys

    code = ("import sys; from course_cnn.cli import main; "
            "rc = main(['diagnose', '--human', '0', '--train', '10', '--train-dev', '11', '--dev', '20']); "
            "print('TF' if 'tensorflow' in sys.modules or 'keras' in sys.modules else 'noTF', rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "verdict: avoidable bias and data mismatch" in out
    assert out.strip().endswith("noTF 0")
