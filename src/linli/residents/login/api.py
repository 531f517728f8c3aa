"""Signing in from an app: POST /portal/auth/code sends a code, POST /portal/auth/login answers a bearer token
(Authorization: Bearer …, the same tokens as staff's, 12 hours). Pages sign in through /portal/login/ instead."""

from django.contrib.auth import logout as auth_logout
from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Status

from linli.accounts.auth import RESIDENT_AUTH
from linli.accounts.services import token_logout
from linli.core.clientip import client_ip
from linli.core.schemas import In, Line, Schema

from . import rules
from .services import code_request, token_sign_in

router = Router(tags=["portal"])

LIMITED = {429: {"description": gettext_lazy("过于频繁，或验证码错误次数过多，号码暂停登录")}}


class CodeIn(In):
    phone: Line


class CodeOut(Schema):
    detail: str
    valid_seconds: int


class SignInIn(In):
    phone: Line
    code: Line


class TokenOut(Schema):
    token: str


@router.post(
    "/code", auth=None, response=CodeOut, openapi_extra={"responses": LIMITED},
    summary="获取登录验证码：无论该号码是否已开通账号，回答都相同",
)  # fmt: skip
def code(request, payload: CodeIn):
    code_request(phone=payload.phone, ip=client_ip(request))
    ttl = int(rules.CODE_TTL.total_seconds())
    return {"detail": gettext("验证码已发送，%(value)s分钟内有效") % {"value": ttl // 60}, "valid_seconds": ttl}


@router.post(
    "/login", auth=None, response=TokenOut, openapi_extra={"responses": LIMITED},
    summary="验证码登录：首次登录即开通账号；回答令牌（Bearer）",
)  # fmt: skip
def login(request, payload: SignInIn):
    return {"token": token_sign_in(phone=payload.phone, code=payload.code, ip=client_ip(request), request=request)}


@router.post(
    "/logout", auth=RESIDENT_AUTH, response={204: None}, summary="退出登录：注销本次使用的令牌（或本次浏览器登录）"
)
def logout(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        token_logout(token=token)
    else:
        auth_logout(request)
    return Status(204, None)
