"""The CloudFormation template: cfn-lint-clean, and it says what docs/aws.md promises.

Nothing is deployed from here (no AWS account offline): cfn-lint checks the template against every
resource's schema; the tests below load it with cfn-lint's own decoder (which understands !Ref, !Sub, ...)
and check the security-relevant properties one by one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cfnlint.api import ManualArgs, lint_file
from cfnlint.decode import decode

from tests.infrastructure.tools import TEMPLATE


@pytest.fixture(scope="module")
def template() -> dict:
    loaded, errors = decode(str(TEMPLATE))
    assert not errors, errors
    return json.loads(json.dumps(loaded))  # plain dicts and lists, without cfn-lint's node classes


def resources_of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == resource_type}


def the_one(template: dict, resource_type: str) -> dict:
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.values()))


def cfn_lint(path: Path) -> list[str]:
    """cfn-lint's findings, informational ones included, in-process (its start-up is most of its time)."""
    return [str(match) for match in lint_file(path, config=ManualArgs(include_checks=["I"]))]


def test_cfn_lint_passes_including_informational_checks():
    assert cfn_lint(TEMPLATE) == []


def test_cfn_lint_fails_on_a_broken_copy(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace("FromPort: 5439", "FromPort: not-a-port"), encoding="utf-8"
    )
    findings = cfn_lint(broken)
    assert any("not-a-port" in finding for finding in findings), findings


def test_bucket_blocks_public_access_and_encrypts(template):
    bucket = the_one(template, "AWS::S3::Bucket")["Properties"]
    block = bucket["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    policy = the_one(template, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]["Statement"]
    assert any(s["Effect"] == "Deny" and s["Condition"]["Bool"]["aws:SecureTransport"] == "false" for s in policy), (
        "plain-HTTP access should be denied"
    )


def test_bucket_ages_out_old_batches(template):
    rules = the_one(template, "AWS::S3::Bucket")["Properties"]["LifecycleConfiguration"]["Rules"]
    by_prefix = {rule.get("Prefix", {}).get("Fn::Sub", rule.get("Prefix")): rule for rule in rules}
    for prefix in ("${LakePrefix}raw/", "${LakePrefix}manifests/"):
        assert by_prefix[prefix]["Status"] == "Enabled"
        assert by_prefix[prefix]["ExpirationInDays"] == {"Ref": "BatchRetentionDays"}
    assert any("AbortIncompleteMultipartUpload" in rule for rule in rules)
    assert template["Parameters"]["BatchRetentionDays"]["MinValue"] > 30, "must outlive the STANDARD_IA move"


def test_copy_role_is_trusted_by_both_redshift_services_only(template):
    role = the_one(template, "AWS::IAM::Role")["Properties"]
    statements = role["AssumeRolePolicyDocument"]["Statement"]
    assert len(statements) == 1
    assert statements[0]["Action"] == "sts:AssumeRole"
    assert sorted(statements[0]["Principal"]["Service"]) == [
        "redshift-serverless.amazonaws.com",
        "redshift.amazonaws.com",
    ]
    assert set(statements[0]["Principal"]) == {"Service"}


def test_copy_role_can_only_read_the_landing_prefixes(template):
    role = the_one(template, "AWS::IAM::Role")["Properties"]
    assert "ManagedPolicyArns" not in role
    statements = [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]
    assert all(s["Effect"] == "Allow" for s in statements)
    actions = {s["Action"]: s for s in statements}
    assert set(actions) == {"s3:GetObject", "s3:ListBucket"}, "COPY needs to read objects and list, nothing else"

    get_resources = [r["Fn::Sub"] for r in actions["s3:GetObject"]["Resource"]]
    assert get_resources == ["${LakeBucket.Arn}/${LakePrefix}raw/*", "${LakeBucket.Arn}/${LakePrefix}manifests/*"]
    listing = actions["s3:ListBucket"]
    assert listing["Resource"] == {"Fn::GetAtt": ["LakeBucket", "Arn"]}
    prefixes = [p["Fn::Sub"] for p in listing["Condition"]["StringLike"]["s3:prefix"]]
    assert prefixes == ["${LakePrefix}raw/*", "${LakePrefix}manifests/*"]
    text = json.dumps(role)
    assert '"*"' not in text and "s3:*" not in text, "no wildcard resource or action"


def test_workgroup_port_5439_is_open_to_the_cidr_parameter_only(template):
    group = the_one(template, "AWS::EC2::SecurityGroup")["Properties"]
    assert group["SecurityGroupIngress"] == [
        {
            "Description": "Redshift from the allowed network",
            "IpProtocol": "tcp",
            "FromPort": 5439,
            "ToPort": 5439,
            "CidrIp": {"Ref": "AllowedCidr"},
        }
    ]
    cidr = template["Parameters"]["AllowedCidr"]
    assert "Default" not in cidr, "the operator must choose the network"
    pattern = re.compile(cidr["AllowedPattern"])
    assert pattern.fullmatch("203.0.113.7/32") and pattern.fullmatch("10.0.0.0/16")
    assert not pattern.fullmatch("0.0.0.0/0"), "the whole internet is refused"
    workgroup = the_one(template, "AWS::RedshiftServerless::Workgroup")["Properties"]
    assert workgroup["SecurityGroupIds"] == [{"Ref": "WorkgroupSecurityGroup"}]
    assert workgroup["Port"] == 5439
    assert template["Parameters"]["PubliclyAccessible"]["Default"] == "false"


def test_admin_password_comes_from_secrets_manager(template):
    secret = the_one(template, "AWS::SecretsManager::Secret")["Properties"]
    generated = secret["GenerateSecretString"]
    assert generated["GenerateStringKey"] == "password" and generated["PasswordLength"] >= 16
    namespace = the_one(template, "AWS::RedshiftServerless::Namespace")["Properties"]
    assert namespace["AdminUserPassword"] == {
        "Fn::Sub": "{{resolve:secretsmanager:${AdminSecret}:SecretString:password}}"
    }
    assert namespace["IamRoles"] == [{"Fn::GetAtt": ["RedshiftCopyRole", "Arn"]}]
    for name in template["Parameters"]:
        assert "password" not in name.lower(), f"parameter {name} would put a password in the stack's history"


def password_values(node, path=""):
    """(path, value) of every property whose name ends in "Password", anywhere in the template."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower().endswith("password"):
                yield f"{path}/{key}", value
            yield from password_values(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from password_values(value, f"{path}/{index}")


def test_no_literal_password_anywhere_in_the_template(template):
    found = list(password_values(template["Resources"]))
    assert found, "the namespace's admin password property was not found"
    for path, value in found:
        reference = value.get("Fn::Sub", "") if isinstance(value, dict) else value
        assert isinstance(reference, str) and reference.startswith("{{resolve:secretsmanager:"), (
            f"{path} is not a Secrets Manager reference: {value!r}"
        )


def test_loader_policy_cannot_delete_landed_batches(template):
    """Landing is append-only: the loader's identity may delete only `loader doctor`'s probe objects."""
    statements = the_one(template, "AWS::IAM::ManagedPolicy")["Properties"]["PolicyDocument"]["Statement"]
    actions = {s["Sid"]: [s["Action"]] if isinstance(s["Action"], str) else s["Action"] for s in statements}
    deleting = [s["Resource"] for s in statements if "s3:DeleteObject" in actions[s["Sid"]]]
    assert deleting == [{"Fn::Sub": "${LakeBucket.Arn}/${LakePrefix}_doctor/*"}]
    assert not [a for listed in actions.values() for a in listed if a == "*" or a.endswith(":*")], "no wildcard action"
