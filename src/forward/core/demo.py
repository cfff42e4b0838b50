"""Partner organizations and a few hundred people, deterministic."""

from __future__ import annotations

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from .models import Membership, Organization, OrganizationKind, Role, User

OPERATOR_SLUG = "forward-programme-office"

U = OrganizationKind.UNIVERSITY
ORGANIZATIONS = [
    # name, kind, country, city, website
    ("Forward Programme Office", OrganizationKind.OPERATOR, "SG", "Singapore", ""),
    ("Nanyang Technological University", U, "SG", "Singapore", "https://www.ntu.edu.sg"),
    ("Beihang University", U, "CN", "Beijing", "https://www.buaa.edu.cn"),
    ("Zhejiang University", U, "CN", "Hangzhou", "https://www.zju.edu.cn"),
    ("Fudan University", U, "CN", "Shanghai", "https://www.fudan.edu.cn"),
    ("Shanghai Jiao Tong University", U, "CN", "Shanghai", "https://www.sjtu.edu.cn"),
    ("Xi'an Jiaotong University", U, "CN", "Xi'an", "https://www.xjtu.edu.cn"),
    ("Nanjing University", U, "CN", "Nanjing", "https://www.nju.edu.cn"),
    ("Wuhan University", U, "CN", "Wuhan", "https://www.whu.edu.cn"),
    ("South China University of Technology", U, "CN", "Guangzhou", "https://www.scut.edu.cn"),
    ("Universiti Malaya", U, "MY", "Kuala Lumpur", "https://www.um.edu.my"),
    ("Universiti Teknologi Malaysia", U, "MY", "Johor Bahru", "https://www.utm.my"),
    ("Universitas Indonesia", U, "ID", "Depok", "https://www.ui.ac.id"),
    ("Institut Teknologi Bandung", U, "ID", "Bandung", "https://www.itb.ac.id"),
    ("University of the Philippines Diliman", U, "PH", "Quezon City", "https://upd.edu.ph"),
    ("De La Salle University", U, "PH", "Manila", "https://www.dlsu.edu.ph"),
    ("Forward Innovation Centre Kuala Lumpur", OrganizationKind.INNOVATION_CENTRE, "MY", "Kuala Lumpur", ""),
    ("Cloudwave Technologies", OrganizationKind.EMPLOYER, "CN", "Hangzhou", ""),
    ("Straits Fintech", OrganizationKind.EMPLOYER, "SG", "Singapore", ""),
    ("Nusantara Logistics", OrganizationKind.EMPLOYER, "ID", "Jakarta", ""),
    ("Kopi Commerce", OrganizationKind.EMPLOYER, "MY", "Penang", ""),
    ("Luzon Health Analytics", OrganizationKind.EMPLOYER, "PH", "Makati", ""),
    ("Tianmu Retail Data Lab", OrganizationKind.HOST, "CN", "Hangzhou", ""),
    ("Lion City Ventures", OrganizationKind.INVESTOR, "SG", "Singapore", ""),
    ("Merdeka Capital", OrganizationKind.INVESTOR, "MY", "Kuala Lumpur", ""),
]

# Named accounts printed by `forward demo`: (email, role description, organization slug, role)
NAMED = [
    ("operator@forward.demo", "Operator Olivia Tan", "forward-programme-office", Role.ADMIN,
     "programme operator (admin of Forward Programme Office; site staff)"),
    ("admin@ntu.forward.demo", "Wei Ling Ong", "nanyang-technological-university", Role.ADMIN,
     "university admin, Nanyang Technological University"),
    ("admin@zju.forward.demo", "Chen Jie", "zhejiang-university", Role.ADMIN,
     "university admin, Zhejiang University"),
    ("student@ntu.forward.demo", "Aisyah Rahman", "nanyang-technological-university", Role.MEMBER,
     "student, Nanyang Technological University"),
    ("student@zju.forward.demo", "Li Hua", "zhejiang-university", Role.MEMBER,
     "student, Zhejiang University"),
    ("professor@cloudwave.forward.demo", "Dr. Zhang Wei", "cloudwave-technologies", Role.STAFF,
     "visiting professor, engineer at Cloudwave Technologies"),
    ("hr@straits.forward.demo", "Priya Nair", "straits-fintech", Role.ADMIN,
     "employer admin, Straits Fintech"),
    ("host@tianmu.forward.demo", "Sun Yue", "tianmu-retail-data-lab", Role.ADMIN,
     "competition host, Tianmu Retail Data Lab"),
    ("investor@lioncity.forward.demo", "Marcus Lim", "lion-city-ventures", Role.ADMIN,
     "investor, Lion City Ventures"),
    ("founder@forward.demo", "Siti Nurhaliza Yusof", "forward-innovation-centre-kuala-lumpur", Role.MEMBER,
     "founder of Kampung Cloud, a startup at Forward Innovation Centre Kuala Lumpur"),
]
ACCOUNTS = [(email, label) for email, _name, _slug, _role, label in NAMED]

FIRST = {
    "CN": ["Wei", "Jing", "Hao", "Min", "Yu", "Xin", "Lei", "Ting", "Jun", "Fang", "Bo", "Yan", "Hui", "Qiang"],
    "SG": ["Wei Jie", "Hui Min", "Arjun", "Nurul", "Darren", "Shu Fen", "Ravi", "Kai Xin", "Farhan", "Mei"],
    "MY": ["Ahmad", "Nur Aisyah", "Muhammad", "Siti", "Hafiz", "Mei Ling", "Kumar", "Aina", "Izzat", "Farah"],
    "ID": ["Budi", "Dewi", "Agus", "Putri", "Rizky", "Sari", "Andi", "Intan", "Fajar", "Ayu", "Dimas"],
    "PH": ["Juan", "Maria", "Jose", "Angelica", "Mark", "Kristine", "Paolo", "Camille", "Miguel", "Bea"],
}
LAST = {
    "CN": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun"],
    "SG": ["Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua", "Pillai", "Koh", "Teo"],
    "MY": ["Abdullah", "Ismail", "Hassan", "Rahman", "Tan", "Lim", "Subramaniam", "Yusof", "Ong"],
    "ID": ["Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Lestari"],
    "PH": ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Torres", "Villanueva"],
}
TIME_ZONES = {"CN": "Asia/Shanghai", "SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur",
              "ID": "Asia/Jakarta", "PH": "Asia/Manila"}
LANGUAGE = {"CN": "zh-hans", "SG": "en", "MY": "ms", "ID": "id", "PH": "en"}


def already_loaded() -> bool:
    return Organization.objects.filter(slug=OPERATOR_SLUG).exists()


def _person(email: str, name: str, country: str, password: str, joined) -> User:
    return User(email=email, name=name, country=country, password=password, time_zone=TIME_ZONES[country],
                preferred_language=LANGUAGE[country] if country != "MY" else "en", date_joined=joined)


def load(*, rng: random.Random, password: str) -> None:
    now = timezone.now()
    hashed = make_password(password)  # hash once; every demo account shares it
    orgs = Organization.objects.bulk_create([
        Organization(name=name, slug=slugify(name), kind=kind, country=country, city=city, website=website,
                     created_at=now - timedelta(days=400 - i), verified_at=now - timedelta(days=399 - i),
                     description="")
        for i, (name, kind, country, city, website) in enumerate(ORGANIZATIONS)
    ])
    by_slug = {o.slug: o for o in Organization.objects.all()}
    del orgs

    people: list[User] = []
    named_memberships = []
    for email, name, slug, role, _label in NAMED:
        org = by_slug[slug]
        people.append(_person(email, name, org.country.code, hashed, now - timedelta(days=300)))
        named_memberships.append((email, slug, role))

    # A few hundred students, staff and engineers spread over the partners.
    generated: list[tuple[str, str, str]] = []  # (email, org slug, role)
    people_per_kind: dict[str, int] = {OrganizationKind.UNIVERSITY: 20, OrganizationKind.EMPLOYER: 8}
    for org in by_slug.values():
        country = org.country.code
        count = people_per_kind.get(org.kind, 4)
        domain = "".join(word[0] for word in org.slug.split("-")) + str(org.pk)
        for n in range(count):
            first, last = rng.choice(FIRST[country]), rng.choice(LAST[country])
            name = f"{last} {first}" if country == "CN" else f"{first} {last}"
            email = f"{slugify(first)}.{slugify(last)}.{n}@{domain}.forward.demo"
            joined = now - timedelta(days=rng.randint(1, 380), minutes=rng.randint(0, 1440))
            people.append(_person(email, name, country, hashed, joined))
            # Universities' members are students; elsewhere the first is the admin and some are staff
            # (engineers who teach, the host's data team), the rest plain members.
            role = Role.ADMIN if n == 0 else (
                Role.STAFF if org.kind != OrganizationKind.UNIVERSITY and n <= 2 else Role.MEMBER)
            generated.append((email, org.slug, role))
    User.objects.bulk_create(people)
    users = {u.email: u for u in User.objects.all()}

    operator = users["operator@forward.demo"]
    operator.is_staff = True
    operator.is_superuser = True
    operator.save(update_fields=["is_staff", "is_superuser"])
    Organization.objects.update(verified_by=operator)  # the demo's partners are all verified

    Membership.objects.bulk_create([
        Membership(user=users[email], organization=by_slug[slug], role=role)
        for email, slug, role in named_memberships + generated
    ])
    # The visiting professor also teaches at NTU; the innovation-centre founder studied at UM.
    Membership.objects.bulk_create([
        Membership(user=users["professor@cloudwave.forward.demo"],
                   organization=by_slug["nanyang-technological-university"]),
        Membership(user=users["founder@forward.demo"], organization=by_slug["universiti-malaya"]),
    ])
    # One organization a user created last week, waiting in the operators' verification queue.
    founder = users["founder@forward.demo"]
    waiting = Organization.objects.create(
        name="Borneo Data Science Society", slug="borneo-data-science-society", kind=OrganizationKind.HOST,
        country="MY", city="Kota Kinabalu", website="https://example.org/borneo-data",
        description="Students and alumni running data challenges in Sabah and Sarawak.",
        created_at=now - timedelta(days=6), created_by=founder)
    Membership.objects.create(user=founder, organization=waiting, role=Role.ADMIN)
    EmailAddress.objects.bulk_create([
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users.values()
    ])
