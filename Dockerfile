# chipsim in a container: one static binary on a distroless base, for job
# arrays (README, "Job arrays (Slurm, Kubernetes, GNU parallel)").
#
#   docker build -t chipsim .
#   docker run --rm chipsim --version
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/work" chipsim mc baseline-uncertain -n 10000 -o out
#
# .ci/jobarray builds and checks the binary with this same go build command
# (and fails if this file's command changes without it).

# Build stage: the toolchain go.mod asks for, pinned by tag.
FROM golang:1.26.8 AS build
# Use this image's Go; never download another toolchain mid-build.
ENV GOTOOLCHAIN=local
WORKDIR /src
# Modules first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/chipsim ./cmd/chipsim
# An empty /work for the final stage, owned by its nonroot user.
RUN mkdir /out/work

# Final stage: distroless static, not scratch. It is scratch plus what a
# static binary may want and nothing that runs: /etc/passwd with a nonroot
# user (uid 65532, the default user of the :nonroot tag, so Kubernetes'
# runAsNonRoot passes as is), /tmp, tzdata and CA certificates. No shell:
# jobs pass arguments, never "sh -c".
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/chipsim /chipsim
COPY --from=build --chown=65532:65532 /out/work /work
# Redistributing the binary redistributes the Sobol' direction numbers:
# their licence asks for its notice to come along.
COPY NOTICE.md /NOTICE.md
WORKDIR /work
ENTRYPOINT ["/chipsim"]
