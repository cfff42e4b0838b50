"""Forms of networking events: creating and editing an event, registering for one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forward.core.models import TIME_ZONE_CHOICES, Organization

from .events import MAX_MEETINGS, MAX_SLOTS, MAX_TABLES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventFieldsForm(forms.Form):
    """What an event says about itself: shared by creating and editing it."""

    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  max_length=5000)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    time_zone = forms.ChoiceField(label=_("The event's time zone"), choices=TIME_ZONE_CHOICES,
                                  initial="Asia/Kuala_Lumpur")
    tables = forms.IntegerField(label=_("Tables"), min_value=1, max_value=MAX_TABLES, initial=10,
                                help_text=_("At most this many meetings take place at once."))
    registration_deadline = forms.DateTimeField(label=_("Registration closes"), widget=DateTimeInput())
    marking_deadline = forms.DateTimeField(label=_("Marking closes"), widget=DateTimeInput(),
                                           help_text=_("The schedule is built then."))


class EventForm(EventFieldsForm):
    field_order = ["organizer"]
    organizer: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(label=_("Run by"), queryset=None,
                                                                            empty_label=None)
    first_slot = forms.DateTimeField(label=_("First meeting starts"), widget=DateTimeInput())
    slot_minutes = forms.IntegerField(label=_("Minutes per meeting"), min_value=5, max_value=240, initial=20)
    gap_minutes = forms.IntegerField(label=_("Minutes between meetings"), min_value=0, max_value=120, initial=5)
    slot_count = forms.IntegerField(label=_("Number of time slots"), min_value=1, max_value=MAX_SLOTS, initial=8)
    late_registration = forms.BooleanField(label=_("Allow late registration once the schedule is built"),
                                           required=False)

    def __init__(self, *args, organizers=None, **kwargs):
        super().__init__(*args, **kwargs)
        organizer = self.fields["organizer"]
        assert isinstance(organizer, forms.ModelChoiceField)  # declared above
        organizer.queryset = organizers


class EventEditForm(EventFieldsForm):
    """The event's fields, the slots to keep (untick to remove) and optionally more slots to add."""

    keep_slots = forms.MultipleChoiceField(label=_("Time slots to keep"), widget=forms.CheckboxSelectMultiple,
                                           required=False,
                                           help_text=_("Untick a slot to remove it. Slots change only until the "
                                                       "schedule is built."))
    add_first_slot = forms.DateTimeField(label=_("Add slots: the first starts"), widget=DateTimeInput(),
                                         required=False)
    add_slot_minutes = forms.IntegerField(label=_("Minutes per added meeting"), min_value=5, max_value=240,
                                          initial=20)
    add_gap_minutes = forms.IntegerField(label=_("Minutes between added meetings"), min_value=0, max_value=120,
                                         initial=5)
    add_slot_count = forms.IntegerField(label=_("Number of slots to add"), min_value=0, max_value=MAX_SLOTS,
                                        initial=0)

    def __init__(self, *args, slot_choices=(), slots_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        keep_slots = self.fields["keep_slots"]
        assert isinstance(keep_slots, forms.ChoiceField)  # declared above
        keep_slots.choices = slot_choices
        if slots_fixed:  # the schedule is built: the slots are shown, not changed
            self.fields["keep_slots"].disabled = True
            self.fields["keep_slots"].label = _("Time slots")
            self.fields["keep_slots"].help_text = _("The schedule is built in these slots.")
            for name in ("add_first_slot", "add_slot_minutes", "add_gap_minutes", "add_slot_count"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data is not None and data.get("add_slot_count") and not data.get("add_first_slot"):
            self.add_error("add_first_slot", _("Say when the first added slot starts."))
        return data


class RegistrationForm(forms.Form):
    """Side and organization as one choice ("investor:12"), the most meetings, the free slots."""

    acting_for = forms.ChoiceField(label=_("Register as"))
    max_meetings = forms.IntegerField(label=_("Most meetings"), min_value=0, max_value=MAX_MEETINGS, initial=6)
    slots = forms.MultipleChoiceField(label=_("When you are free"), widget=forms.CheckboxSelectMultiple,
                                      required=False)

    def __init__(self, *args, choices=(), slot_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        acting_for, slots = self.fields["acting_for"], self.fields["slots"]
        assert isinstance(acting_for, forms.ChoiceField) and isinstance(slots, forms.ChoiceField)  # declared above
        acting_for.choices = choices
        slots.choices = slot_choices
