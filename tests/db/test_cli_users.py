"""`cbec users …` and `cbec audit` as an operator runs them (password from standard input, as docker exec does)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import db


def cbec(*args: str, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], input=stdin, capture_output=True, text=True, check=False)


def test_accounts_from_the_command_line(store):
    r = cbec("users", "add", "alice", "--role", "researcher", stdin="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    assert "correct horse" not in r.stdout + r.stderr
    assert cbec("users", "add", "root", "--role", "admin", stdin="another long password\n").returncode == 0
    listed = cbec("users", "list").stdout
    assert "alice\tresearcher" in listed and "root\tadmin" in listed
    assert cbec("users", "role", "alice", "facilitator").returncode == 0
    assert cbec("users", "passwd", "alice", stdin="a brand new password\n").returncode == 0
    assert db.sign_in("alice", "a brand new password").role == "facilitator"
    assert cbec("users", "remove", "alice").returncode == 0
    assert [a.username for a in db.list_accounts()] == ["root"]


@pytest.mark.parametrize(("args", "stdin", "says"), [
    (("users", "add", "bob", "--role", "owner"), "long enough password\n", "unknown role 'owner'"),
    (("users", "add", "bob", "--role", "researcher"), "\n", "the password is empty"),
    (("users", "add", "bob", "--role", "researcher"), "too short\n", "use at least 10"),
    (("users", "role", "nobody", "admin"), "", "no account is named 'nobody'"),
])
def test_bad_requests_exit_2_with_one_message_and_change_nothing(store, args, stdin, says):
    db.upgrade()
    r = cbec(*args, stdin=stdin)
    assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr
    assert db.list_accounts() == []


def test_a_duplicate_name_is_refused(store):
    assert cbec("users", "add", "alice", "--role", "researcher", stdin="correct horse battery\n").returncode == 0
    r = cbec("users", "add", "alice", "--role", "admin", stdin="another long password\n")
    assert r.returncode == 2 and "already exists" in r.stderr
    assert [(a.username, a.role) for a in db.list_accounts()] == [("alice", "researcher")]


def test_the_audit_lists_failed_and_successful_sign_ins_as_json(store):
    cbec("users", "add", "alice", "--role", "researcher", stdin="correct horse battery\n")
    with pytest.raises(db.SignInFailed):
        db.sign_in("alice", "wrong", client="10.1.2.3")
    db.sign_in("alice", "correct horse battery", client="10.1.2.3")
    r = cbec("audit", "--json", "--limit", "10")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(e["action"], e["outcome"]) for e in rows] == [("signin", "ok"), ("signin", "failed"), ("account_add", "ok")]
    assert rows[0]["client"] == "10.1.2.3" and rows[2]["actor"].startswith("cli:")
    assert "signin" in cbec("audit").stdout
