// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "ssh/SshAuthenticator.h"

#include <QByteArray>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace gasper::ssh::detail {

// What a session thread and the event loop share. Everything below the mutex is guarded
// by it; the event loop writes to wakeFd (an eventfd in the session's poll set) after each
// change the thread must see.
struct SessionLink
{
    SessionLink(quint64 sessionId, int socketFd, int eventFd) : id(sessionId), fd(socketFd), wakeFd(eventFd) {}
    ~SessionLink();

    const quint64 id;
    const int fd;      // the TCP connection, owned by the libssh session
    const int wakeFd;  // eventfd

    std::mutex mutex;
    std::condition_variable cv;
    bool fdOpen = true;  // false once the thread is about to close fd
    bool stop = false;   // the event loop asks the thread to end (shutdown, grace)
    QString stopMessage;

    quint64 answeredTicket = 0;
    std::optional<Result<SshLogin>> authAnswer;

    struct Chunk
    {
        bool isStderr = false;
        QByteArray data;
    };
    std::deque<Chunk> output;
    qint64 queuedBytes = 0;
    bool outputPaused = false;
    std::optional<Result<int>> exit;

    void wake();
    // Shuts the connection down (both ways) if the thread has not closed it yet: its
    // blocking libssh calls return at once. Never closes the descriptor itself.
    void shutdownSocket();
};

} // namespace gasper::ssh::detail
