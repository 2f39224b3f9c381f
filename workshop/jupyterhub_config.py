"""JupyterHub for a klcourse workshop on one machine: `jupyterhub -f workshop/jupyterhub_config.py`.

What a learner gets: a JupyterLab of their own, opened on notebook 00 of
their own student copies (``~/klcourse/``), written by ``klcourse student``
when their server starts and never overwritten once they have edited one.
Abandoned servers are stopped by jupyterhub-idle-culler, freeing their
memory. Everything is set from environment variables, so the same file
serves the room and the test (``bench/bench_workshop.py``):

==========================  ==================================================  ==============
variable                    meaning                                             default
==========================  ==================================================  ==============
KLCOURSE_HUB_URL            where the hub listens                               http://:8000
KLCOURSE_AUTH               ``pam`` (system users), ``native``                  pam
                            (NativeAuthenticator: sign-up, instructor
                            approves), ``dummy`` (tests; 127.0.0.1 only)
KLCOURSE_SPAWNER            ``local`` (one system user per learner),            local
                            ``systemd`` (jupyterhub-systemdspawner: enforces
                            the limits below), ``simple`` (tests only: one
                            account, homes under KLCOURSE_HOMES)
KLCOURSE_MEM_LIMIT          memory per learner (server + kernels)               1G
KLCOURSE_CPU_LIMIT          CPU cores per learner                               1.0
KLCOURSE_IDLE_TIMEOUT       seconds before an idle server is stopped            3600
KLCOURSE_ADMINS             comma-separated instructor user names               (none)
KLCOURSE_HOMES              homes for the ``simple`` spawner                    /tmp/klcourse-homes
KLCOURSE_NOTEBOOKS          the course's notebooks/ folder to copy from         the checkout
KLCOURSE_SERVICE_TOKEN      token of a ``klcourse-bench`` service (load tests)  (none)
==========================  ==================================================  ==============

Memory and CPU limits are *enforced* only by spawners that can (systemd,
Docker, Kubernetes); the local spawners only pass them to the server as
``MEM_LIMIT``/``CPU_LIMIT``, which JupyterLab's resource indicator shows.
Zero to JupyterHub on Kubernetes takes the same learner environment (an image
built from ``requirements.txt``, e.g. with repo2docker) and the same
``klcourse student`` step as an init container or postStart hook; see
docs/instructor-guide.md.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

env = os.environ.get
url = env("KLCOURSE_HUB_URL", "http://:8000")
auth = env("KLCOURSE_AUTH", "pam")
spawner = env("KLCOURSE_SPAWNER", "local")
is_root = os.geteuid() == 0

c.JupyterHub.bind_url = url
if env("KLCOURSE_HUB_API_URL"):
    c.JupyterHub.hub_bind_url = env("KLCOURSE_HUB_API_URL")
if env("KLCOURSE_PROXY_API_URL"):
    c.ConfigurableHTTPProxy.api_url = env("KLCOURSE_PROXY_API_URL")

# --- who may log in ------------------------------------------------------------------
if auth == "dummy":
    if "127.0.0.1" not in url and "localhost" not in url:
        raise SystemExit("KLCOURSE_AUTH=dummy lets anyone in with any name: it is for tests "
                         "on 127.0.0.1 only; set KLCOURSE_HUB_URL=http://127.0.0.1:PORT")
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
elif auth == "native":
    c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
    c.NativeAuthenticator.open_signup = False      # the instructor approves each account
    c.Authenticator.allow_all = True
else:
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allow_all = True               # every system user; narrow with allowed_users
admins = [a for a in env("KLCOURSE_ADMINS", "").split(",") if a]
if admins:
    c.Authenticator.admin_users = set(admins)

# --- each learner's server -----------------------------------------------------------
if spawner == "simple":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(
        Path(env("KLCOURSE_HOMES", "/tmp/klcourse-homes")) / "{username}")
    # IPC socket paths must stay under ~100 characters; a deep test home would pass that
    c.Spawner.environment = {
        "JUPYTER_RUNTIME_DIR": lambda sp: f"/tmp/klcourse-runtime-{os.getpid()}/{sp.user.name}"}
elif spawner == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
else:
    c.JupyterHub.spawner_class = "local"

# the venv's single-user server even when the venv is not on PATH
single_user = shutil.which("jupyterhub-singleuser") or str(
    Path(sys.executable).with_name("jupyterhub-singleuser"))
c.Spawner.cmd = [single_user]
# Kernels talk to their server over IPC files rather than TCP ports: with many kernels
# starting at once on one machine, TCP port picks can collide (seen here with 20 learners:
# "Invalid Signature", kernels "culled or died unexpectedly").
c.Spawner.args = ["--KernelManager.transport=ipc"] + (["--allow-root"] if is_root else [])
c.Spawner.default_url = "/lab/tree/klcourse/00_start_here.ipynb"
c.Spawner.mem_limit = env("KLCOURSE_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(env("KLCOURSE_CPU_LIMIT", "1.0"))
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180


def give_learner_their_copies(spawner_obj):
    """Write the learner's student copies into HOME/klcourse; never overwrite their edits."""
    from klcourse.course.workshop import provision

    if spawner == "simple":
        home = Path(spawner_obj.home_dir)
    else:
        import pwd

        home = Path(pwd.getpwnam(spawner_obj.user.name).pw_dir)
    report = provision(home)
    for line in report.lines():
        spawner_obj.log.info("klcourse: %s", line)
    if spawner != "simple" and is_root:
        entry = __import__("pwd").getpwnam(spawner_obj.user.name)
        for path in [home / "klcourse", *(home / "klcourse").glob("*.ipynb")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)


c.Spawner.pre_spawn_hook = give_learner_their_copies

# --- services: stop idle servers; an optional token for load tests -------------------
idle = env("KLCOURSE_IDLE_TIMEOUT", "3600")
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if env("KLCOURSE_SERVICE_TOKEN"):
    c.JupyterHub.services.append({"name": "klcourse-bench",
                                  "api_token": env("KLCOURSE_SERVICE_TOKEN")})
    c.JupyterHub.load_roles.append({
        "name": "klcourse-bench",
        "scopes": ["admin:users", "admin:servers", "access:servers", "admin:server_state"],
        "services": ["klcourse-bench"],
    })

c.JupyterHub.cleanup_servers = True
c.JupyterHub.db_url = env("KLCOURSE_HUB_DB", "sqlite:///jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = env("KLCOURSE_COOKIE_SECRET", "jupyterhub_cookie_secret")
