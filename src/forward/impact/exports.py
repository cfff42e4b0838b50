"""CSV and Parquet exports of the monthly series per measure and dimension."""

from django.http import HttpResponse


def csv_export(request):
    return HttpResponse("TODO")


def parquet_export(request):
    return HttpResponse("TODO")
