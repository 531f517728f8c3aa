from ninja import Router, Status

from linli.core.schemas import In, Schema

from .auth import BearerToken
from .selectors import user_describe
from .services import logout_everywhere, token_login, token_logout

router = Router(tags=["auth"])


class LoginIn(In):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    region: str | None
    organization: str | None
    can_view_pii: bool


@router.post(
    "/login",
    auth=None,
    response=TokenOut,
    openapi_extra={
        "responses": {401: {"description": "用户名或密码错误"}, 429: {"description": "失败次数过多，账户已锁定"}}
    },
)
def login(request, payload: LoginIn):
    return {"token": token_login(request=request, username=payload.username, password=payload.password)}


@router.post("/logout", auth=BearerToken(), response={204: None}, summary="退出登录：注销本次使用的令牌")
def logout(request):
    token_logout(token=request.headers["Authorization"].split(" ", 1)[1])
    return Status(204, None)


@router.post("/logout-all", response={204: None}, summary="退出所有设备：注销本人的全部令牌和浏览器登录")
def logout_all(request):
    logout_everywhere(user=request.user, request=request)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    return user_describe(request.user)
