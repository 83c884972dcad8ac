"""validate.families.privacy: a raw user id or a private name that reached a published column fails
at error severity, so a later code change cannot leak in silence."""

from __future__ import annotations

import json

from tests.validate.conftest import failed, result_of, run, write_tables


def test_clean_tables_pass_and_name_checks_need_the_inputs(tmp_path, tables):
    result = run(write_tables(tmp_path, tables))
    privacy = [r for r in result.results if r.spec.family == "privacy"]
    assert {r.status for r in privacy if r.spec.id.endswith(".pseudonymised")} == {"passed"}
    names = [r for r in privacy if r.spec.id.endswith(".no_private_names")]
    assert names and {r.status for r in names} == {"skipped"}
    assert names[0].message == "the persons' names are known only to a build, which reads the inputs"


def test_a_planted_raw_user_id_fails(tmp_path, tables):
    tables["posts"][0]["author_id"] = "user123456789"
    tables["mentions"] = [{"post_id": "alpha/1", "offset": 0, "shown_as": "Someone", "username": None,
                           "user_id": "555111222"}]
    tables["links"] = [{"post_id": "alpha/1", "offset": 0, "url": "tg://user?id=555111222", "label": "x"}]
    result = run(write_tables(tmp_path, tables))
    assert {"posts.author_id.pseudonymised", "mentions.user_id.pseudonymised", "links.url.pseudonymised"} <= failed(result)
    assert result_of(result, "posts.author_id.pseudonymised").spec.severity == "error" and not result.passed


def test_a_planted_private_name_fails_when_the_inputs_are_known(tmp_path, tables):
    tables["posts"][0]["forwarded_from"] = "Olga Ivanova"
    folder = write_tables(tmp_path, tables)
    assert "posts.forwarded_from.no_private_names" not in failed(run(folder))  # skipped: nobody knows her
    known = run(folder, private_terms={"Olga Ivanova", "user777777777"})
    assert failed(known) == {"posts.forwarded_from.no_private_names"}
    assert result_of(known, "posts.forwarded_from.no_private_names").examples[0]["value"] == "Olga Ivanova"


def test_a_field_the_policy_keeps_is_skipped_with_the_reason(tmp_path, tables):
    tables["posts"][0]["author_id"] = "user123456789"
    folder = write_tables(tmp_path, tables)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["options"]["privacy"] = {"policy": {"posts.author_id": "keep"}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    kept = result_of(run(folder), "posts.author_id.pseudonymised")
    assert kept.status == "skipped" and "privacy policy keeps this field" in kept.message


def test_a_descriptor_that_says_the_inputs_held_no_person_lets_the_name_checks_run(tmp_path):
    import shutil

    from corpus_tools.validate.run import validate
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("raw", "*.csv.gz"))
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    statuses = {}
    for terms in (0, 3, None):  # none in the inputs, three, not recorded
        if terms is None:
            descriptor["privacy"].pop("privateTermsInInputs")
        else:
            descriptor["privacy"]["privateTermsInInputs"] = terms
        (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
        result = validate(tmp_path / "datapackage.json")
        statuses[terms] = {r.status for r in result.results if r.spec.id.endswith(".no_private_names")}
    assert statuses == {0: {"passed"}, 3: {"skipped"}, None: {"skipped"}}
