from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="login_epoch",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="登录批次"),
        ),
        # Tokens issued before this migration carry no auth hash, so they are refused: their users log in again.
        migrations.AddField(
            model_name="apitoken",
            name="user_auth_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
    ]
