from django.urls import path

from cityops.agency import online_views, views

app_name = "agency"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("list/", views.inbox_list, name="inbox_list"),
    path("events/", views.events, name="events"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/take-up/", views.report_take_up, name="take_up"),
    path("reports/<int:pk>/return/", views.report_return, name="return"),
    path("reports/<int:pk>/note/", views.report_note, name="note"),
    path("reports/<int:pk>/extend/", views.report_extend, name="extend"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="resolve"),
    path("online/", online_views.applications, name="online"),
    path("online/<str:number>/", online_views.application, name="online_application"),
    path(
        "online/<str:number>/accept/", online_views.step, {"step": "accept"}, name="online_accept"
    ),
    path("online/<str:number>/ask/", online_views.step, {"step": "ask"}, name="online_ask"),
    path(
        "online/<str:number>/finish/", online_views.step, {"step": "finish"}, name="online_finish"
    ),
    path(
        "online/<str:number>/refuse/", online_views.step, {"step": "refuse"}, name="online_refuse"
    ),
    path(
        "online/<str:number>/message/",
        online_views.step,
        {"step": "message"},
        name="online_message",
    ),
]
