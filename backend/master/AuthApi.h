// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"
#include "master/LoginThrottle.h"

namespace gasper::master {

// Users and sessions: register, login (throttled), logout, me.
class AuthApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

private:
    void registerUser(const CallPtr &call);
    void login(const CallPtr &call);
    void logout(const CallPtr &call);
    Reply me(const CallPtr &call);

    LoginThrottle m_loginThrottle;
};

} // namespace gasper::master
