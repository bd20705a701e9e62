// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/HttpMessage.h"

#include <QByteArray>
#include <QJsonValue>
#include <QStringList>


namespace gasper::docker {

// The Engine API version Gasper speaks (Docker 20.10). Older engines down to
// kMinApiVersion are spoken to in their own version, found with GET /version.
inline constexpr auto kApiVersion = "v1.41";
inline constexpr auto kMinApiVersion = "v1.40";

// One answer of a plain (non-streaming) Engine API call.
struct ApiResponse
{
    int status = 0;
    http::Headers headers;
    QByteArray body;

    // The body parsed as JSON: an object or array, or undefined when it is not JSON.
    QJsonValue json() const;
};

// Docker's stream numbers in the 8-byte frame header.
enum class StreamKind { Stdin = 0, Stdout = 1, Stderr = 2 };

struct LogOptions
{
    int tail = -1;  // -1: all lines
    bool follow = false;
    bool stdoutStream = true;
    bool stderrStream = true;
    bool timestamps = false;
    qint64 since = 0;  // Unix seconds; 0: from the start
};

// POST /containers/{id}/exec. `user` empty: the container's own user (its Config.User).
struct ExecOptions
{
    QStringList cmd;
    QStringList env;  // "KEY=value", added to the container's environment
    QString workingDir;
    QString user;
    bool tty = false;
    bool attachStdin = false;
};

} // namespace gasper::docker
