"""Where and when: a facility already booked (town, name, doctor, date), or one to find and
call (by town, CAP, doctor or shared position), or, for a check-up, the preferred dates."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from dialogs.events import Inbound, Venue
from dialogs.flows.direct.category import is_checkup
from dialogs.flows.parts.answers import guarantee_of, quote, say, service_text
from dialogs.flows.parts.confirm import ConfirmDate
from dialogs.matching import yes_or_no
from dialogs.services import FacilityOption, Place
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.dates import describe_date, parse_date, parse_date_detail

# An appointment further away than this is surely a typo.
HORIZON = timedelta(days=365)
MAX_PREFERRED_DATES = 3
CHOICES = 8


def facility_of(ctx: Context) -> dict[str, Any] | None:
    """The facility chosen (from the network), on whichever path."""
    chosen = ctx.answers.get("booked_facility") or ctx.answers.get("facility")
    return chosen if chosen and "id" in chosen else None


def facility_name(ctx: Context) -> str:
    chosen = ctx.answers.get("booked_facility") or ctx.answers.get("facility") or {}
    return chosen.get("name") or chosen.get("free") or ""


def _booked(ctx: Context) -> bool:
    return ctx.answers.get("booked") == "yes"


def _searching(ctx: Context) -> bool:
    return is_checkup(ctx) or ctx.answers.get("booked") == "no"


def _facility_value(option: FacilityOption) -> dict[str, Any]:
    return asdict(option)


def _facility_label(facility: dict[str, Any]) -> str:
    label = facility["name"]
    if facility.get("smart_clinic"):
        label = "★ " + label
    if facility.get("distance_km") is not None:
        label += f" · {_km(facility['distance_km'])}"
    return label


def _venue(facility: FacilityOption) -> Venue:
    assert facility.lat is not None and facility.lon is not None
    address = f"{facility.address}, {facility.town}"
    if facility.distance_km is not None:
        address += f" · {_km(facility.distance_km)}"
    return Venue(facility.name, address, facility.lat, facility.lon, facility.phone or "")


def _km(distance: float) -> str:
    return f"{distance:.1f} km".replace(".", ",")


def _details(ctx: Context, facility: dict[str, Any]) -> str:
    lines = [facility["name"] + (" (Smart Clinic)" if facility.get("smart_clinic") else ""),
             f"{facility['address']}, {facility['town']} ({facility['province']})"]
    if facility.get("phone"):
        lines.append(say(ctx, "booking.phone", phone=facility["phone"]))
    if facility.get("hours"):
        lines.append(say(ctx, "booking.hours", hours=facility["hours"]))
    return "\n".join(lines)


class Booked(BaseStep):
    """«Hai già prenotato presso un centro convenzionato?»"""

    name = "booked"
    edit_label = "Prenotazione"
    clears = ("booked_town", "booked_name", "booked_facility", "doctor", "search", "facility",
              "appointment", "appointment_ok")

    def applies(self, ctx: Context) -> bool:
        return not is_checkup(ctx)

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "booking.ask"), (
            Option("yes", say(ctx, "booking.yes"), ("si", "sì", "gia", "ho prenotato")),
            Option("no", say(ctx, "booking.no"), ("no", "non ancora", "devo prenotare")),
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            option = None if verdict is None else ("yes" if verdict else "no")
        if option is None:
            return Invalid(say(ctx, "booking.invalid"))
        return Accept(option)

    def describe(self, ctx: Context, value: Any) -> str:
        return say(ctx, f"booking.{value}")

    def help(self, ctx: Context) -> str:
        return say(ctx, "booking.help")


class BookedTown(BaseStep):
    name = "booked_town"
    clears = ("booked_name", "booked_facility", "doctor")

    def applies(self, ctx: Context) -> bool:
        return _booked(ctx)

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "booking.town_ask"))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        place = ctx.services.resolve_place(inbound.text or "")
        if place is None:
            return Invalid(say(ctx, "booking.town_unknown", text=quote((inbound.text or "").strip())))
        return Accept(asdict(place))

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value["name"])


class BookedName(BaseStep):
    """The facility's name as the customer knows it, matched against the network."""

    name = "booked_name"
    clears = ("booked_facility", "doctor")

    def applies(self, ctx: Context) -> bool:
        return _booked(ctx)

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "booking.name_ask", town=ctx.answers["booked_town"]["name"]))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        text = " ".join((inbound.text or "").split())
        if len(text) < 3 or len(text) > 150:
            return Invalid(say(ctx, "booking.name_invalid"))
        found = await ctx.services.match_facility(text, ctx.answers["booked_town"]["name"])
        return Accept({"text": text, "candidates": [_facility_value(f) for f in found[:5]]})

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value["text"])


class BookedFacility(BaseStep):
    """The network facility it is, or the name as typed when it is not in the network."""

    name = "booked_facility"
    clears = ("doctor",)

    def applies(self, ctx: Context) -> bool:
        return _booked(ctx)

    def implied(self, ctx: Context) -> Accept | None:
        typed = ctx.answers["booked_name"]
        if not typed["candidates"]:
            return Accept({"free": typed["text"]}, say(ctx, "booking.not_in_network",
                                                       name=typed["text"]))
        return None

    def ask(self, ctx: Context) -> Question:
        typed = ctx.answers["booked_name"]
        options = [Option(f"f{i}", f"{c['name']} · {c['address']}")
                   for i, c in enumerate(typed["candidates"])]
        options.append(Option("free", say(ctx, "booking.use_typed", name=typed["text"])))
        return Question(say(ctx, "booking.facility_pick"), tuple(options))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        typed = ctx.answers["booked_name"]
        if option == "free":
            return Accept({"free": typed["text"]},
                          say(ctx, "booking.not_in_network", name=typed["text"]))
        if option is None:
            return Invalid(say(ctx, "booking.facility_invalid"))
        return Accept(typed["candidates"][int(option[1:])])

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value.get("name") or value.get("free"))


class Doctor(BaseStep):
    """«Puoi ora selezionare il medico o continuare senza sceglierlo.»"""

    name = "doctor"

    def applies(self, ctx: Context) -> bool:
        return _booked(ctx)

    def ask(self, ctx: Context) -> Question:
        facility = facility_of(ctx) or {}
        options = [Option(f"d{i}", name) for i, name in enumerate(facility.get("doctors", []))]
        options.append(Option("none", say(ctx, "booking.doctor_none"),
                              ("no", "nessuno", "non so", "salta")))
        return Question(say(ctx, "booking.doctor_ask"), tuple(options))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option == "none":
            return Accept("")
        if option is not None:
            return Accept((facility_of(ctx) or {})["doctors"][int(option[1:])])
        name = " ".join((inbound.text or "").split())
        if not 3 <= len(name) <= 100 or not re.search(r"[^\W\d_]", name):
            return Invalid(say(ctx, "booking.doctor_invalid"))
        return Accept(name)

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value) or say(ctx, "booking.doctor_none")


class Search(BaseStep):
    """Facilities that provide the service, near a town, a CAP, a doctor or a shared position."""

    name = "search"
    clears = ("facility",)
    accepts_locations = True

    def applies(self, ctx: Context) -> bool:
        return _searching(ctx)

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "booking.search_ask",
                            service=service_text(ctx.answers["service"])))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        service = ctx.answers["service"]
        code = None if is_checkup(ctx) else service["code"]
        if is_checkup(ctx):
            covers = guarantee_of(ctx).covers
            code = covers[0].rstrip("*") if covers else None
        query: dict[str, Any] = {"service_code": code, "catalogue_kind": service["kind"]}
        if inbound.location is not None:
            query["near"] = inbound.location
            label = say(ctx, "booking.your_position")
        else:
            text = " ".join((inbound.text or "").split())
            if len(text) < 2 or len(text) > 100:
                return Invalid(say(ctx, "booking.search_invalid"))
            place = ctx.services.resolve_place(text)
            if place is not None and not _names_a_doctor(text):
                query["place"] = place
                label = _place_label(place)
            else:
                query["doctor"] = re.sub(r"^(dott(or)?(ssa|essa)?|dr|prof)\.?\s+", "", text,
                                         flags=re.I)
                label = quote(text)
        found = await ctx.services.search_facilities(**query, limit=CHOICES)
        if not found:
            return Invalid(say(ctx, "booking.search_none", where=label))
        # Near a shared position, the facilities are also shown on the map.
        venues = tuple(_venue(f) for f in found if f.lat is not None and f.lon is not None
                       ) if inbound.location is not None else ()
        return Accept({"label": label, "results": [_facility_value(f) for f in found]},
                      venues=venues)

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value["label"])

    def help(self, ctx: Context) -> str:
        return say(ctx, "booking.search_help")


class FacilityPick(BaseStep):
    name = "facility"
    edit_label = "Struttura"
    accepts_locations = True

    def applies(self, ctx: Context) -> bool:
        return _searching(ctx)

    def ask(self, ctx: Context) -> Question:
        results = ctx.answers["search"]["results"]
        options = [Option(f"f{i}", _facility_label(f)) for i, f in enumerate(results)]
        options.append(Option("again", say(ctx, "booking.search_again"),
                              ("altrove", "cerca ancora", "altra citta")))
        return Question(say(ctx, "booking.pick", where=ctx.answers["search"]["label"]),
                        tuple(options))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option == "again":
            return Stay(reopen=("search",))
        if option is None:
            if inbound.location is not None or (inbound.text and len(inbound.text.strip()) > 2):
                # A new place instead of a pick: search again there.
                found = await Search().answer(ctx, inbound, None)
                if isinstance(found, Accept):
                    return Stay(also={"search": found.value})
                return found
            return Invalid(say(ctx, "booking.pick_invalid"))
        facility = ctx.answers["search"]["results"][int(option[1:])]
        key = "booking.picked_checkup" if is_checkup(ctx) else "booking.picked"
        return Accept(facility, say(ctx, key, details=_details(ctx, facility)),
                      followup=None if is_checkup(ctx) else "booking")

    def reopen(self, ctx: Context) -> None:
        super().reopen(ctx)
        ctx.answers.pop("search", None)

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value["name"])

    def help(self, ctx: Context) -> str:
        return say(ctx, "booking.pick_help")


class Appointment(BaseStep):
    """The agreed day (and time if known), at least the guarantee's notice days ahead."""

    name = "appointment"
    accepts_files = False
    edit_label = "Data dell'appuntamento"
    clears = ("appointment_ok",)

    def applies(self, ctx: Context) -> bool:
        return not is_checkup(ctx)

    def ask(self, ctx: Context) -> Question:
        if _booked(ctx):
            return Question(say(ctx, "booking.date_ask", facility=facility_name(ctx)))
        return Question(say(ctx, "booking.date_wait", facility=facility_name(ctx)),
                        (Option("later", say(ctx, "booking.date_later")),))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        reading = parse_date_detail(inbound.text or "", ctx.today, prefer="future")
        # "Lo scrivo dopo", "non ancora": waiting, unless a day is written ("dopo le 15").
        if inbound.choice is not None and option == "later" or reading is None and (
                option == "later" or _not_yet(inbound.text or "")):
            return Stay(say(ctx, "booking.date_waiting"))
        if reading is None:
            return Invalid(say(ctx, "booking.date_invalid"))
        refused = _check_day(ctx, reading.day)
        if refused:
            return Invalid(refused)
        value = {"date": reading.day.isoformat(),
                 "time": reading.time.strftime("%H:%M") if reading.time else None,
                 "literal": reading.literal}
        if not reading.literal:
            return Accept(value)  # the confirmation that follows says it back
        return Accept(value, say(ctx, "booking.date_taken", day=appointment_text(value)))

    def describe(self, ctx: Context, value: Any) -> str:
        return appointment_text(value)

    def help(self, ctx: Context) -> str:
        return say(ctx, "booking.date_help",
                   days=guarantee_of(ctx).notice_days)


class AppointmentCheck(ConfirmDate):
    """The appointment's day confirmed when it was not written in full."""

    name = "appointment_ok"
    target = Appointment()

    def applies(self, ctx: Context) -> bool:
        value = ctx.answers.get("appointment")
        return not is_checkup(ctx) and value is not None and not value.get("literal", True)

    def understood(self, ctx: Context) -> str:
        return appointment_text(ctx.answers["appointment"])

    def check_text(self, ctx: Context, day: str) -> str:
        return say(ctx, "booking.date_check", day=day)

    def retry_text(self, ctx: Context) -> str:
        return say(ctx, "booking.date_retry")


class CheckupDates(BaseStep):
    """Check-ups: up to three days the customer would like; the insurer books."""

    name = "checkup_dates"
    edit_label = "Date preferite"

    def applies(self, ctx: Context) -> bool:
        return is_checkup(ctx)

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "booking.dates_ask", most=MAX_PREFERRED_DATES,
                            facility=facility_name(ctx)))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        days = preferred_dates(inbound.text or "", ctx.today)
        if not days:
            return Invalid(say(ctx, "booking.dates_invalid"))
        if len(days) > MAX_PREFERRED_DATES:
            return Invalid(say(ctx, "booking.dates_too_many", most=MAX_PREFERRED_DATES))
        for day in days:
            refused = _check_day(ctx, day)
            if refused:
                return Invalid(refused)
        listed = ", ".join(describe_date(d) for d in days)
        return Accept([d.isoformat() for d in days], say(ctx, "booking.dates_taken", days=listed))

    def describe(self, ctx: Context, value: Any) -> str:
        return ", ".join(describe_date(date.fromisoformat(d)) for d in value)

    def help(self, ctx: Context) -> str:
        return say(ctx, "booking.dates_help")


def preferred_dates(text: str, today: date) -> list[date]:
    """Days in "3, 5 o 10 dicembre" or "lunedì 7 e martedì 8 dicembre": bare numbers take the
    month (and year) of the last day written in full."""
    parts = [p.strip() for p in re.split(r",|;|\bo\b|\boppure\b|\be\b|/(?!\d)", text) if p.strip()]
    # "7 9 e 11 dicembre", "7 9 11 dicembre": days written one after the other, no commas.
    parts = [day for part in parts for day in _leading_days(part)]
    if not parts:
        return []
    last = parse_date(parts[-1], today, prefer="future")
    days: list[date] = []
    for part in parts:
        day = parse_date(part, today, prefer="future")
        bare = re.fullmatch(r"(?:il\s+)?(\d{1,2})", part)
        if bare and last is not None:
            try:
                day = last.replace(day=int(bare.group(1)))
            except ValueError:
                return []
        if day is None:
            return []
        if day not in days:
            days.append(day)
    return sorted(days)


def _leading_days(part: str) -> list[str]:
    """"7 9 11 dicembre" -> "7", "9", "11 dicembre"."""
    days = []
    while match := re.fullmatch(r"(\d{1,2})\s+(\d{1,2}\b.*)", part):
        days.append(match.group(1))
        part = match.group(2)
    return [*days, part]


def appointment_text(value: dict[str, Any]) -> str:
    text = describe_date(date.fromisoformat(value["date"]))
    return t("opening.when_time", day=text, time=value["time"]) if value.get("time") else text


def _check_day(ctx: Context, day: date) -> str | None:
    notice = guarantee_of(ctx).notice_days
    if day < ctx.today + timedelta(days=notice):
        if day < ctx.today:
            return say(ctx, "booking.date_past", day=describe_date(day))
        return say(ctx, "booking.date_too_soon", day=describe_date(day), days=notice)
    if day > ctx.today + HORIZON:
        return say(ctx, "booking.date_too_far", day=describe_date(day))
    return None


def _not_yet(text: str) -> bool:
    return bool(re.search(r"\b(non (ho )?ancora|devo ancora|ancora no|più tardi|dopo)\b",
                          text.casefold()))


def _names_a_doctor(text: str) -> bool:
    return bool(re.match(r"^(dott|dr|prof|medico)", text.strip(), re.I))


def _place_label(place: Place) -> str:
    return place.cap or place.name
