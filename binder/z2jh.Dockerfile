# The workshop as a single-user image for Zero to JupyterHub (z2jh): Debian,
# Rust 1.95 from rustup, evcxr_jupyter 0.22.0, JupyterLab and
# jupyterhub-singleuser, the repository in /home/jovyan, and nnlib's
# dependencies compiled once at build time (the kernel's "warm build").
#
# Build from the repository's root (untested here, see binder/README.md; on 2
# cores expect the parts' times: evcxr_jupyter's install ~5 min, the warm build ~1 min):
#   docker build -f binder/z2jh.Dockerfile -t REGISTRY/nn-workshop:TAG .
# binder/z2jh.Dockerfile.dockerignore keeps target/, .venv/ and .git/ out.
#
# Named z2jh.Dockerfile, not Dockerfile: repo2docker (BinderHub) would build a
# binder/Dockerfile instead of binder/environment.yml + postBuild + start.
# After the repository, this image runs the same binder/postBuild and
# binder/start as repo2docker does (tests/test_binder.py runs both).

# Pin by digest for a class (python:3.11-slim-bookworm@sha256:...): a tag moves.
ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}

# The versions: Rust as the Makefile's RUST_MIN, evcxr_jupyter as its
# EVCXR_VERSION, jupyterhub as binder/environment.yml's jupyterhub-singleuser
# (PyPI's current 5.x line; tests/test_binder.py checks all three).
ARG RUST_VERSION=1.95.0
ARG EVCXR_VERSION=0.22.0
ARG JUPYTERHUB_VERSION=5.5.4

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# gcc and libc6-dev: rustc links with cc. tini: a PID 1 that reaps orphaned
# processes (each notebook cell runs cargo and rustc).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev tini \
 && rm -rf /var/lib/apt/lists/*

# jovyan, uid 1000: the user z2jh runs the server as (singleuser.uid). The
# toolchain and the Python environment live outside /home/jovyan and belong to
# jovyan: cargo writes its registry cache at run time, and postBuild registers
# the kernel and compiles the warm build (NN_EVCXR_DIR) into /opt/venv.
RUN useradd --create-home --uid 1000 --shell /bin/bash jovyan \
 && install -d -o jovyan -g jovyan /usr/local/rustup /usr/local/cargo /opt/venv
ENV HOME=/home/jovyan \
    RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/opt/venv/bin:/usr/local/cargo/bin:$PATH \
    NN_EVCXR_DIR=/opt/venv/share/nn-workshop-evcxr \
    JUPYTER_PREFER_ENV_PATH=1
USER jovyan

# Rust with the official installer; rust-src because evcxr's type inference
# (rust-analyzer) reads the standard library's source.
RUN curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
    | sh -s -- -y --no-modify-path --profile minimal --default-toolchain "$RUST_VERSION" --component rust-src \
 && rustc --version

# The 5-minute compile, in a layer of its own that a change to the repository
# does not invalidate. The crates' sources are not needed after it.
RUN cargo install --locked evcxr_jupyter --version "$EVCXR_VERSION" \
 && rm -rf "$CARGO_HOME/registry/src" "$CARGO_HOME/registry/cache"

COPY --chown=1000:1000 requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/venv \
 && pip install --no-cache-dir -r /tmp/requirements.txt "jupyterhub==$JUPYTERHUB_VERSION"

# The repository is the home folder, as in repo2docker. z2jh must then mount the
# learners' persistent storage below it, not over it (z2jh-config.yaml:
# singleuser.storage.homeMountPath: /home/jovyan/work).
WORKDIR /home/jovyan
COPY --chown=1000:1000 . /home/jovyan/
RUN mkdir -p /home/jovyan/work \
 && binder/postBuild

EXPOSE 8888
ENTRYPOINT ["tini", "-g", "--", "/home/jovyan/binder/start"]
CMD ["jupyterhub-singleuser"]
