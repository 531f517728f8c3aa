"""Uploaded files on object storage (LINLI_S3_*, django-storages' S3 backend): every place that stores or reads a
file goes through the storage, so nothing needs the application node's own disk. Against moto's S3 in this process;
test_nodes does the same with a real S3 server and two nodes."""

import io

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto import mock_aws
from openpyxl import load_workbook

from linli.campaigns.documents import views as documents_views
from linli.campaigns.documents.tests.factory import seed_plan
from linli.campaigns.documents.tests.test_xlsx import xlsx as task_table
from linli.campaigns.models import Task
from linli.cases.models import Attachment, Category
from linli.cases.public.tests.test_public import image
from linli.cases.services import case_create
from linli.people.imports.services import export_download, persons_export, persons_import
from linli.people.imports.tests.support import row
from linli.people.imports.tests.support import xlsx as person_table
from linli.people.models import Estate, ExportJob, ImportJob, Person
from linli.people.selectors import PersonFilter
from linli.testing import factories

BUCKET = "linli-test"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        options = {"bucket_name": BUCKET, "region_name": "us-east-1", "file_overwrite": False}
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }
        yield lambda prefix="": {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", ())}


def test_a_case_photo_is_stored_in_the_bucket_and_served_from_it(world, bucket):
    factories.install_case_catalogue(world)
    admin = world.users["admin"]
    photo = SimpleUploadedFile("现场.jpg", image().getvalue(), "image/jpeg")
    data = {"category_id": Category.objects.get(code="0401").pk, "description": "小区门口路灯不亮三天了"}
    case = case_create(user=admin, channel="window", data=data | {"region_id": world.grid_a1.pk}, photos=[photo])
    (attachment,) = Attachment.objects.filter(case=case)
    assert bucket("cases/") == {attachment.file.name}
    client = Client()
    client.force_login(admin)
    url = reverse("cases:attachment", args=[case.pk, attachment.pk])
    served = client.get(url)
    with attachment.file.open("rb") as stored:
        assert served.status_code == 200 and b"".join(served.streaming_content) == stored.read()
    default_storage.delete(attachment.file.name)
    assert client.get(url).status_code == 404  # gone from the bucket: 文件已丢失, not a server error


def test_an_import_reads_its_upload_from_the_bucket_and_deletes_it(world, bucket):
    happy = Estate.objects.create(region=world.community_a1, name="幸福里")
    factories.house(world.grid_a1, happy, building="3", unit="1", number="502")
    job = persons_import(user=world.users["community_worker"], file=person_table([row(1, 与户主关系="户主")]))
    job.refresh_from_db()
    assert (job.status, job.created, job.upload.name) == (ImportJob.Status.DONE, 1, "")
    assert Person.objects.filter(name="居民1").exists()
    assert bucket("jobs/") == set()


def test_an_export_is_written_to_the_bucket_and_downloaded_from_it(world, bucket):
    factories.person(world.grid_a1, name="甲一居民")
    user = world.users["community_worker"]
    job = persons_export(user=user, filters=PersonFilter())
    assert job.status == ExportJob.Status.DONE, job.message
    assert bucket("jobs/") == {job.file.name}
    with export_download(user=user, job=job).open("rb") as file:
        rows = list(load_workbook(io.BytesIO(file.read())).active.iter_rows(values_only=True))
    assert "甲一居民" in rows[1]


def test_a_previewed_task_table_waits_in_the_bucket_until_confirmed(world, bucket):
    plan = seed_plan(world, region=world.district)
    client = Client()
    client.force_login(world.users["district_staff"])
    url = reverse("campaign_documents:tasks_import", args=[plan.pk])
    preview = client.post(url, {"file": task_table([["一、", "集贸市场环境整治"]]), "mode": "replace"})
    assert preview.status_code == 200
    (token,) = client.session[documents_views.SESSION_KEY]
    assert bucket(documents_views.PENDING_DIR) == {f"{documents_views.PENDING_DIR}/{token}.xlsx"}
    assert client.post(url, {"token": token}).status_code == 302
    assert list(Task.objects.filter(plan=plan).values_list("title", flat=True)) == ["集贸市场环境整治"]
    assert bucket(documents_views.PENDING_DIR) == set()
