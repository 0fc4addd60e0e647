"""Static checks of a Docker Compose file (no Docker engine needed); run by deploy/checks/compose-check.sh.

Checks: the file parses (anchors and merge keys resolved); every image is pinned (a tag or a digest, never
`latest`, no variable); every build context and Dockerfile exists; every bind-mounted host path and env_file
exists (paths relative to the Compose file's folder); every named volume is declared; every depends_on names
another service; no host port is published twice; and the dtm role containers: each of the roles runs, from a
build, with DTM_ROLES, KAFKA_BOOTSTRAP_SERVERS and a healthcheck on /q/health/ready.
Prints one line per problem and exits 1 when there is any.
"""
import os
import sys

import yaml

ROLES = ("ingest", "indicators", "model", "alerts")


def image_problem(image):
    if not isinstance(image, str) or not image:
        return "image is not a string"
    if "${" in image or "$" in image:
        return "image %r uses a variable: pin it in the file" % image
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "image %r has no tag" % image
    tag = last.split(":", 1)[1]
    if tag == "latest" or not tag:
        return "image %r is not pinned (tag %r)" % (image, tag)
    return None


def host_port(entry):
    """The (host port, protocol) that a ports entry publishes, or None when it publishes none."""
    if isinstance(entry, dict):
        published = entry.get("published")
        return (str(published), entry.get("protocol", "tcp")) if published is not None else None
    spec = str(entry)
    protocol = "tcp"
    if "/" in spec:
        spec, protocol = spec.rsplit("/", 1)
    parts = spec.rsplit(":", 2)
    if len(parts) == 1:
        return None  # container port only: Docker picks a free host port
    return (parts[-2], protocol)


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def check(path):
    base = os.path.dirname(os.path.abspath(path))
    problems = []
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    services = (doc or {}).get("services")
    if not isinstance(services, dict) or not services:
        return ["no services"], {}
    declared_volumes = set((doc.get("volumes") or {}).keys())
    ports_seen = {}
    roles_seen = {}

    def exists(kind, name, rel):
        full = os.path.normpath(os.path.join(base, os.path.expanduser(rel)))
        if not os.path.exists(full):
            problems.append("%s: %s %s does not exist (%s)" % (name, kind, rel, os.path.relpath(full)))
        return full

    for name, service in services.items():
        if not isinstance(service, dict):
            problems.append("%s: not a mapping" % name)
            continue
        build = service.get("build")
        if "image" in service:
            problem = image_problem(service["image"])
            if problem:
                problems.append("%s: %s" % (name, problem))
        elif build is None:
            problems.append("%s: neither image nor build" % name)
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            context_dir = exists("build context", name, context)
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            if os.path.isdir(context_dir) and not os.path.isfile(os.path.join(context_dir, dockerfile)):
                problems.append("%s: dockerfile %s does not exist in build context %s" % (name, dockerfile, context))
        for volume in service.get("volumes") or []:
            if isinstance(volume, dict):
                kind, source = volume.get("type", "volume"), volume.get("source")
            else:
                source = str(volume).split(":", 1)[0]
                kind = "bind" if source.startswith((".", "/", "~")) else "volume"
            if kind == "bind":
                exists("bind-mounted path", name, source)
            elif kind == "volume" and source and source not in declared_volumes:
                problems.append("%s: named volume %s is not declared under volumes:" % (name, source))
        env_files = service.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            exists("env_file", name, env_file if isinstance(env_file, str) else env_file.get("path"))
        depends = service.get("depends_on") or []
        for dependency in depends if isinstance(depends, list) else depends.keys():
            if dependency not in services:
                problems.append("%s: depends_on names %s, which is not a service" % (name, dependency))
            elif dependency == name:
                problems.append("%s: depends on itself" % name)
        for entry in service.get("ports") or []:
            key = host_port(entry)
            if key is None:
                continue
            if key in ports_seen:
                problems.append("%s: host port %s/%s is already published by %s" % (name, key[0], key[1], ports_seen[key]))
            else:
                ports_seen[key] = name
        env = env_of(service)
        if "DTM_ROLES" in env:
            if build is None:
                problems.append("%s: runs dtm roles but is not built from the project's Dockerfile" % name)
            for role in str(env["DTM_ROLES"]).split(","):
                role = role.strip()
                if role not in ROLES:
                    problems.append("%s: unknown role %r in DTM_ROLES (known: %s)" % (name, role, ",".join(ROLES)))
                roles_seen.setdefault(role, name)
            if not env.get("KAFKA_BOOTSTRAP_SERVERS"):
                problems.append("%s: no KAFKA_BOOTSTRAP_SERVERS" % name)
            test = (service.get("healthcheck") or {}).get("test")
            if "/q/health/ready" not in " ".join(test if isinstance(test, list) else [str(test)]):
                problems.append("%s: no healthcheck on /q/health/ready" % name)
    for role in ROLES:
        if role not in roles_seen:
            problems.append("no service runs the %s role (DTM_ROLES)" % role)
    return problems, services


def main(argv):
    if len(argv) != 2:
        print("usage: compose-check.py COMPOSE_FILE", file=sys.stderr)
        return 2
    try:
        problems, services = check(argv[1])
    except (OSError, yaml.YAMLError) as e:
        print("compose-check: %s: cannot read: %s" % (argv[1], e))
        return 1
    for problem in problems:
        print("compose-check: %s: %s" % (argv[1], problem))
    if problems:
        print("compose-check: FAILED: %d problem(s) in %s" % (len(problems), argv[1]))
        return 1
    print("compose-check: ok: %s (%d services: %s)" % (argv[1], len(services), " ".join(services)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
