// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

namespace gasper::master {

// The caller's SSH public keys (OpenSSH format, validated by libssh): add, list, remove.
// A key opens every app of its owner over SSH (an admin's key: every app). A key belongs
// to one user: registering a fingerprint someone already has is 409 key-taken.
class SshKeysApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshKeysApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

private:
    void add(const CallPtr &call);
    void list(const CallPtr &call);
    void remove(const CallPtr &call);
};

// An app's SSH password as given in create/PATCH bodies: a string of 8 … 1024 characters,
// or (PATCH only) null to remove it. invalid-body otherwise.
Result<QString> parseSshPassword(const QJsonValue &value, bool allowNull);

} // namespace gasper::master
