from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "linli.property"
    verbose_name = "物业监管"
