from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "linli.maps"
    verbose_name = "地图与地址"
