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
    err = capsys.readouterr().err
    assert "`train` must be an error rate in [0, 1]" in err and "scale='percent'" in err


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
