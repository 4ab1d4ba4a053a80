"""Fill ``search_text`` for people recorded before the search index existed."""

from django.db import migrations


def backfill(apps, schema_editor) -> None:
    from people.search import search_text_for

    person_model = apps.get_model("people", "Person")
    for person in person_model.objects.prefetch_related("names").iterator(chunk_size=500):
        person_model.objects.filter(pk=person.pk).update(search_text=search_text_for(person))


class Migration(migrations.Migration):
    dependencies = [("people", "0002_trigram_search")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
